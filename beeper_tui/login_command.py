"""``beeper-tui login NETWORK``: the parts that run before and after the full screen.

Before: the name the user typed (a bridge ID, a bridge type or a network name, any case) is
matched against one ``GET /v1/bridges``, so a typo ends in a list of valid names and exit 2
instead of a wizard that fails on its first request; and a login needs a terminal, so without
one the command refuses rather than spinning on a screen nobody sees. After: one line saying how
it ended, for the scrollback and for scripts. Headless: no textual here.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from typing import TextIO

from beeper_tui.api.models import Account, APIError, Bridge
from beeper_tui.connect import Connection
from beeper_tui.text import one_line


@dataclass(frozen=True)
class NoSuchBridge(Exception):
    """The name matched no bridge, or more than one; ``message`` says which to type instead."""

    message: str

    def __str__(self) -> str:
        return self.message


def _names(bridge: Bridge) -> set[str]:
    """Every name a user may type for ``bridge``, folded for a case-insensitive match."""
    names = {bridge.id, bridge.type, bridge.display_name, bridge.network or ""}
    return {name.casefold() for name in names if name}


def match_bridge(name: str, bridges: list[Bridge]) -> Bridge:
    """The bridge ``name`` means: its ID first (exactly, then in any case), else the one bridge
    whose type, display name or network name it is (``whatsapp`` → ``local-whatsapp``).
    Raises :class:`NoSuchBridge` listing the matches when several fit, or every valid ID when
    none does. Pure: no request, so it is tested without an app."""
    for bridge in bridges:
        if bridge.id == name:
            return bridge
    wanted = name.strip().casefold()
    by_id = [b for b in bridges if b.id.casefold() == wanted]
    if len(by_id) == 1:
        return by_id[0]
    found = [b for b in bridges if wanted in _names(b)]
    if len(found) == 1:
        return found[0]
    shown = one_line(name, 40)
    if found:
        choices = ", ".join(_choice(b) for b in found)
        raise NoSuchBridge(f"{shown!r} fits several bridges: {choices}. Give the bridge ID.")
    ids = ", ".join(one_line(b.id, 60) for b in bridges) or "(none)"
    raise NoSuchBridge(f"no bridge called {shown!r}. Valid bridge IDs: {ids}")


def _choice(bridge: Bridge) -> str:
    return f"{one_line(bridge.id, 60)} ({one_line(bridge.display_name, 40)})"


async def find_bridge(conn: Connection, name: str) -> Bridge:
    """One ``GET /v1/bridges`` and :func:`match_bridge`; the client is closed afterwards (the
    full screen opens its own, on its own event loop)."""
    async with conn.client as client:
        bridges = await client.bridges()
    return match_bridge(name, bridges)


def terminal_missing(stdin: TextIO, stdout: TextIO) -> str | None:
    """Why the login wizard cannot run here (stdin or stdout is not a terminal), or None."""
    for stream, what in ((stdin, "input"), (stdout, "output")):
        try:
            interactive = stream.isatty()
        except (AttributeError, ValueError):  # closed or not a real stream
            interactive = False
        if not interactive:
            return (
                f"login needs a terminal, and its {what} is not one: run it in a terminal "
                "(for scripts, `beeper-tui status` and `beeper-tui watch` need none)."
            )
    return None


def outcome_line(
    status: str | None, bridge: Bridge, account: Account | None, error: APIError | None
) -> str:
    """How the login ended, in one line: "Connected WhatsApp — Alice Example", "Cancelled" or
    "Failed: why". Every server value goes through the text policy."""
    if status == "complete":
        network = one_line((account.network if account else None) or bridge.display_name, 40)
        who = f" — {one_line(account.user.display_name, 80)}" if account is not None else ""
        return f"Connected {network}{who}"
    if status == "failed":
        why = (error.message or error.code) if error is not None else ""
        return f"Failed: {one_line(why, 200)}" if why else "Failed"
    return "Cancelled"


def say_outcome(line: str, out: TextIO) -> None:
    """Print the outcome line, unless the terminal is gone: after its window or pane closed,
    every write fails (EIO) and the exit code (128 + SIGHUP) says how the login ended. The
    failed write must not become a traceback (exit 1, "cancelled", the closed-terminal race
    that made ``test_terminal_closes`` accept 1 or 129) nor stay buffered for the
    interpreter's last flush (exit 120): ``out`` then writes to the null device."""
    try:
        print(line, file=out, flush=True)
    except OSError:
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, out.fileno())
            os.close(devnull)


def left_open_line(count: int) -> str | None:
    """What to tell on stderr when the app ended with ``count`` login sessions it could not
    cancel: they are written down, and the next start deals with them."""
    if count <= 0:
        return None
    what = "a login" if count == 1 else f"{count} logins"
    return (
        f"beeper-tui: couldn't cancel {what} on Beeper Desktop as it closed; beeper-tui"
        " takes care of it on its next start (a login ends by itself within 30 minutes anyway)."
    )
