"""On start: the login sessions a beeper-tui that ended abruptly (``kill -9``, a power cut)
left open on the server, found in the :class:`~beeper_tui.login_journal.LoginJournal`.

For each recorded session of this Beeper Desktop whose process is no longer running:

- older than a session lives (30 minutes upstream): cancelled quietly and forgotten;
- gone (404) or already ended on the server: forgotten;
- still open: cancelled and forgotten — or, with ``keep_open``, handed back, so a caller can
  offer to resume it (the wizard at the session's current step) or cancel it;
- the server not answering now: kept for the next start.

Sessions recorded against another Beeper Desktop are left alone until they are older than a
session lives, then forgotten. Nothing here raises: the app starts whatever happens. Headless.

Who does what with them:

- the account manager (``beeper-tui``) settles with ``keep_open`` and offers each open one,
  newest first: resume it or cancel it (``tui/login/leftover_offer.py``);
- ``beeper-tui login`` never asks (the person asked for one login, and a second dialog in
  front of it would be in the way): it cancels them quietly (:func:`settle_quietly`);
- ``status`` and ``watch`` only read accounts: they leave the journal alone, for the next
  start of one of the above.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from beeper_tui.api import errors
from beeper_tui.api.client import BeeperClient
from beeper_tui.api.models import LoginSession
from beeper_tui.login_journal import LoginJournal, RecordedLogin

#: Seconds a login session lives upstream (API-NOTES: "at most 30 minutes").
SESSION_LIFETIME = 30 * 60.0
#: Seconds each check or cancel may take.
REQUEST_TIMEOUT = 3.0


def process_running(pid: int) -> bool:
    """Whether process ``pid`` still runs (a beeper-tui still running owns its sessions). One
    that died but is not reaped yet (a zombie) does not run: it owns nothing any more."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    try:  # Linux: the state after the command's name; Z and X are dead
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc: it exists, so it may run
    return state not in ("Z", "X")


@dataclass
class Leftovers:
    """What the start-up check found and did."""

    still_open: list[tuple[RecordedLogin, LoginSession]] = field(default_factory=list)
    """Open sessions kept for an offer (only with ``keep_open``)."""
    cancelled: list[RecordedLogin] = field(default_factory=list)
    forgotten: list[RecordedLogin] = field(default_factory=list)
    """Gone or ended on the server already, or too old to check."""
    unchecked: list[RecordedLogin] = field(default_factory=list)
    """Kept for the next start: the server did not answer."""


async def _quietly_cancel(client: BeeperClient, entry: RecordedLogin) -> bool:
    """DELETE the session; whether the server no longer has it open (cancelled or gone)."""
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT):
            await client.cancel_login_session(entry.bridge_id, entry.session_id)
    except errors.NotFound:
        return True
    except (errors.BeeperError, TimeoutError):
        return False
    return True


async def settle_leftovers(
    client: BeeperClient,
    journal: LoginJournal,
    base_url: str,
    *,
    keep_open: bool = False,
    running: Callable[[int], bool] = process_running,
    now: Callable[[], float] = time.time,
) -> Leftovers:
    """Check and settle the recorded sessions (see the module); what was found."""
    found = Leftovers()
    for entry in journal.entries():
        age = now() - entry.opened_at
        too_old = age > SESSION_LIFETIME
        if not too_old and running(entry.pid):
            continue  # its beeper-tui is still running: its session, not ours
        if entry.base_url.rstrip("/") != base_url.rstrip("/"):
            if too_old:
                journal.remove(entry.bridge_id, entry.session_id)
                found.forgotten.append(entry)
            continue
        if too_old:
            await _quietly_cancel(client, entry)
            journal.remove(entry.bridge_id, entry.session_id)
            found.forgotten.append(entry)
            continue
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT):
                session = await client.login_session(entry.bridge_id, entry.session_id)
        except errors.NotFound:
            journal.remove(entry.bridge_id, entry.session_id)
            found.forgotten.append(entry)
            continue
        except (errors.BeeperError, TimeoutError):
            found.unchecked.append(entry)
            continue
        if session.ended:
            journal.remove(entry.bridge_id, entry.session_id)
            found.forgotten.append(entry)
        elif keep_open:
            found.still_open.append((entry, session))
        elif await _quietly_cancel(client, entry):
            journal.remove(entry.bridge_id, entry.session_id)
            found.cancelled.append(entry)
        else:
            found.unchecked.append(entry)
    found.still_open.sort(key=lambda pair: pair[0].opened_at, reverse=True)  # newest first
    return found


async def settle_quietly(client: BeeperClient, journal: LoginJournal, base_url: str) -> None:
    """:func:`settle_leftovers` that cancels every open leftover, for a start-up task that
    must never fail."""
    with contextlib.suppress(Exception):
        await settle_leftovers(client, journal, base_url)
