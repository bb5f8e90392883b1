"""``beeper-tui status``: accounts grouped by bridge with their health, for people and scripts.

Headless: this module and everything it imports stay free of textual, so the command starts fast.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Mapping
from typing import Any, TextIO

from beeper_tui.api.errors import BeeperError
from beeper_tui.api.models import Account, Bridge, Health
from beeper_tui.connect import Connection
from beeper_tui.line_wrap import wrap
from beeper_tui.text import json_dumps, one_line

EXIT_OK, EXIT_ATTENTION, EXIT_ERROR = 0, 1, 2

#: Each health as ``--json`` spells it, in the API's camelCase (the words stay for people).
HEALTH_KEYS = {
    Health.ATTENTION: "needsAttention",
    Health.UNKNOWN: "unknown",
    Health.WORKING: "working",
    Health.OK: "ok",
    Health.OFF: "off",
}
_HEALTH_BY_KEY = {key: health for health, key in HEALTH_KEYS.items()}


def account_entry(bridge: Bridge, account: Account) -> dict[str, Any]:
    """One account as scripts see it (``status --json``, ``watch --json``)."""
    return {
        "accountID": account.account_id,
        "loginID": account.login_id,
        "bridge": bridge.id,
        "network": account.network or bridge.display_name,
        "name": account.user.display_name,
        "status": account.status,
        "health": HEALTH_KEYS[account.health],
        "statusText": account.status_text,
        "provider": account.bridge.provider,
    }


def build_report(bridges: list[Bridge], server_version: str | None, label: str) -> dict[str, Any]:
    accounts = [account_entry(b, a) for b in bridges for a in b.accounts]
    counts = Counter(entry["health"] for entry in accounts)
    return {
        "server": {"version": server_version, "url": label},
        "summary": {
            "accounts": len(accounts),
            **{key: counts.get(key, 0) for key in HEALTH_KEYS.values()},
        },
        "bridges": [
            {
                "id": bridge.id,
                "displayName": bridge.display_name,
                "provider": bridge.provider,
                "status": bridge.status,
                "statusText": bridge.status_text,
                "activeAccountCount": bridge.active_account_count,
                "accounts": [account_entry(bridge, a) for a in bridge.accounts],
            }
            for bridge in bridges
        ],
    }


#: Our own ANSI colours for the health glyph and word (``status`` on a terminal, no NO_COLOR).
_COLOURS = {
    Health.ATTENTION: "\x1b[1;31m",
    Health.UNKNOWN: "\x1b[33m",
    Health.WORKING: "\x1b[36m",
    Health.OK: "\x1b[32m",
    Health.OFF: "\x1b[2m",
}


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def wants_colour(out: TextIO, environ: Mapping[str, str]) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    return _is_terminal(out) and not environ.get("NO_COLOR")


#: The name column of an account line, and the cells before it ("  ✖ needs attention  ").
NAME_COLUMN, MARK_COLUMN = 32, 21
#: Fewest cells the status text gets beside the name column on a terminal; narrower terminals
#: drop the column and let name and status flow together.
MIN_DETAIL = 40


def render_text(report: dict[str, Any], *, colour: bool = False, width: int | None = None) -> str:
    """The report for a person: a summary line, then each bridge with its accounts,
    the ones needing attention first. Every value from the server (names, IDs, provider,
    statuses, the version header) is shown through :func:`one_line`: one line each, no
    control reaches the terminal, and nothing can fake a line of its own. ``colour`` adds our
    own ANSI codes around each health glyph and word, never around server text.

    ``width`` (a terminal's columns) wraps each line at spaces to fit, continuation rows
    indented under the text they continue (see :mod:`beeper_tui.line_wrap`); narrower than an
    account line with its name column, names and status texts flow after the health instead.
    Without it (a pipe), every account stays on one line for ``grep`` and ``cut``."""
    summary = report["summary"]
    server = report["server"]
    attention = summary[HEALTH_KEYS[Health.ATTENTION]]
    version = one_line(server["version"], 40) if server["version"] else "(version unknown)"
    verdict = (
        f"{summary['accounts']} accounts · {attention} need attention"
        if attention
        else f"All {summary['accounts']} accounts fine"
        if summary["accounts"]
        else "No accounts yet: add one with beeper-tui"
    )
    fit = _Layout(width)
    lines = [*fit("Beeper Desktop ", f"{version} · {one_line(server['url'], 120)}")]
    lines += [*fit("", verdict, hang=2), ""]
    for bridge in sorted(report["bridges"], key=_worst_rank):
        if not bridge["accounts"] and bridge["status"] != "connected":
            continue
        state = one_line(bridge["status"], 40) + (
            f" — {one_line(bridge['statusText'], 80)}" if bridge["statusText"] else ""
        )
        lines += fit(
            f"{one_line(bridge['displayName'], 40)}  (",
            f"{one_line(bridge['id'], 60)} · {one_line(bridge['provider'], 20)} · {state})",
        )
        ranked = sorted(bridge["accounts"], key=lambda e: _HEALTH_BY_KEY[e["health"]].rank)
        for entry in ranked:
            health = _HEALTH_BY_KEY[entry["health"]]
            detail = one_line(entry["status"], 40) + (
                f" — {one_line(entry['statusText'], 90)}" if entry["statusText"] else ""
            )
            mark = f"{health.glyph} {health.value}"
            lead = f"  {mark}{' ' * (16 - len(health.value))} "
            if fit.flowing:
                rows = fit(lead, f"{one_line(entry['name'], NAME_COLUMN)}  {detail}")
            else:
                rows = fit(f"{lead}{one_line(entry['name'], NAME_COLUMN, pad=True)}  ", detail)
            if colour:
                rows[0] = f"  {_COLOURS[health]}{mark}\x1b[0m{rows[0][2 + len(mark) :]}"
            lines += rows
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


class _Layout:
    """How ``render_text`` fits its lines: as they are (no width), or wrapped to ``width``."""

    def __init__(self, width: int | None) -> None:
        self.width = width
        self.flowing = width is not None and width < MARK_COLUMN + NAME_COLUMN + 2 + MIN_DETAIL
        """Too narrow for the name column beside a readable status: let the two flow."""

    def __call__(self, lead: str, body: str, *, hang: int | None = None) -> list[str]:
        if self.width is None:
            return [lead + body]
        return wrap(lead, body, self.width, hang=hang)


def wrap_width(out: TextIO, columns: int | None = None) -> int | None:
    """The width to wrap the text report at: ``columns`` or the terminal's own (``$COLUMNS``
    first, as :func:`shutil.get_terminal_size` has it) when ``out`` is a terminal; None (never
    wrapped) into a pipe or a file."""
    if not _is_terminal(out):
        return None
    return columns or shutil.get_terminal_size().columns


def _worst_rank(bridge: dict[str, Any]) -> int:
    """Sort key putting bridges with broken accounts first (stable: else the API's order)."""
    return min((_HEALTH_BY_KEY[e["health"]].rank for e in bridge["accounts"]), default=len(Health))


def error_line(exc: BeeperError) -> str:
    """An error as one line of stderr: its message may quote the server, so it goes through
    the text policy like everything else the server sent."""
    return one_line(exc.explanation, 400)


async def run_status(
    conn: Connection,
    *,
    as_json: bool,
    out: TextIO,
    err: TextIO,
    environ: Mapping[str, str] | None = None,
    columns: int | None = None,
) -> int:
    """Print the report; exit 0 when all accounts are fine, 1 when any needs attention,
    2 on error (the error's message on stderr, never a traceback). ``--json`` is written by
    :func:`json_dumps`: the exact values, with every character a terminal would act on
    escaped. On a terminal the text is wrapped to its width (``columns``, else the terminal's
    own); into a pipe it is not."""
    try:
        async with conn.client as client:
            bridges = await client.bridges()
            version = client.server_version
    except BeeperError as exc:
        err.write(f"beeper-tui: {error_line(exc)}\n")
        return EXIT_ERROR
    report = build_report(bridges, version, conn.label)
    if as_json:
        out.write(json_dumps(report, indent=2) + "\n")
    else:
        colour = wants_colour(out, os.environ if environ is None else environ)
        out.write(render_text(report, colour=colour, width=wrap_width(out, columns)))
    return EXIT_ATTENTION if report["summary"][HEALTH_KEYS[Health.ATTENTION]] else EXIT_OK
