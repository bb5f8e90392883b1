"""Logins that survive a crash: every login session the app opens is written down until it ends.

The journal lives in the user state directory (``$XDG_STATE_HOME/beeper-tui/``, else
``~/.local/state/beeper-tui/``), a directory created mode 0700 holding ``login-sessions.json``
mode 0600. Each entry says which bridge, which session, on which Beeper Desktop (its base URL),
when it was opened and by which process. Writes are atomic (a temporary file in the same
directory, flushed, then renamed over the journal) and serialised between processes with a
lock file, so two beeper-tuis never lose each other's entries. The journal is a safety net: a
journal that can't be read or written is treated as empty and never stops a login.

What happens to the entries on the next start is :mod:`beeper_tui.login_leftovers`. Headless.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from beeper_tui.state_files import locked, state_dir, write_private_json

JOURNAL_NAME = "login-sessions.json"
LOCK_NAME = "login-sessions.lock"


@dataclass(frozen=True)
class RecordedLogin:
    """One login session as the journal keeps it."""

    bridge_id: str
    session_id: str
    base_url: str
    opened_at: float
    """Seconds since the epoch."""
    pid: int
    """The process that opened it (a running one still owns it)."""

    @classmethod
    def from_json(cls, raw: Any) -> RecordedLogin | None:
        """An entry as written, or None when it is not one (skipped, never a crash)."""
        if not isinstance(raw, dict):
            return None
        try:
            return cls(
                bridge_id=str(raw["bridge_id"]),
                session_id=str(raw["session_id"]),
                base_url=str(raw["base_url"]),
                opened_at=float(raw["opened_at"]),
                pid=int(raw["pid"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


class LoginJournal:
    """The journal file (see the module). ``record`` when a session is opened, ``remove``
    when it ends; ``entries`` on the next start."""

    def __init__(
        self,
        directory: Path,
        *,
        clock: Callable[[], float] = time.time,
        pid: int | None = None,
    ) -> None:
        self.directory = directory
        self.path = directory / JOURNAL_NAME
        self._clock = clock
        self.pid = os.getpid() if pid is None else pid

    @classmethod
    def in_state_dir(cls, env: Mapping[str, str] | None = None) -> LoginJournal:
        return cls(state_dir(env))

    def entries(self) -> list[RecordedLogin]:
        """Every recorded session (none when the journal is missing or unreadable)."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        items = raw.get("sessions") if isinstance(raw, dict) else None
        found = (RecordedLogin.from_json(item) for item in items or [])
        return [entry for entry in found if entry is not None]

    def record(self, bridge_id: str, session_id: str, base_url: str) -> None:
        """Write down a session just opened — or taken over (a leftover resumed or offered by
        a later start): then it becomes this process's, and keeps the time it was opened,
        since that is what its 30 minutes count from."""

        def change(entries: list[RecordedLogin]) -> list[RecordedLogin]:
            key = (bridge_id, session_id)
            before = next((e for e in entries if (e.bridge_id, e.session_id) == key), None)
            opened_at = before.opened_at if before is not None else self._clock()
            entry = RecordedLogin(bridge_id, session_id, base_url, opened_at, self.pid)
            return [*self._without(entries, bridge_id, session_id), entry]

        self._change(change)

    def remove(self, bridge_id: str, session_id: str) -> None:
        """Forget a session that ended (or was cancelled)."""
        self._change(lambda entries: self._without(entries, bridge_id, session_id))

    @staticmethod
    def _without(
        entries: list[RecordedLogin], bridge_id: str, session_id: str
    ) -> list[RecordedLogin]:
        return [e for e in entries if (e.bridge_id, e.session_id) != (bridge_id, session_id)]

    def _change(self, change: Callable[[list[RecordedLogin]], list[RecordedLogin]]) -> None:
        with contextlib.suppress(OSError), self._locked():
            before = self.entries()
            after = change(before)
            if after != before:
                self._write(after)

    def _locked(self) -> contextlib.AbstractContextManager[None]:
        return locked(self.directory, LOCK_NAME)

    def _write(self, entries: list[RecordedLogin]) -> None:
        """Replace the journal atomically (``write_private_json``); an empty one is removed."""
        if not entries:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            return
        write_private_json(self.path, {"version": 1, "sessions": [asdict(e) for e in entries]})
