"""``OpenSessions``: the login sessions open on the server, app-wide — the safety net that
cancels whatever a way out left open.

Every ``LoginSessionDriver`` tells it (as its ``SessionTracker``) when a session opens or ends;
a cancel that failed is tried again in the background (``cancel_later``), and whatever is
still here when the app ends is cancelled (``cancel_all``). It is apart from the driver so
that the app holds it from the start without loading the login-step shapes, which only a
wizard needs. No textual here.
"""

from __future__ import annotations

import asyncio

from beeper_tui.api import errors
from beeper_tui.api.client import BeeperClient
from beeper_tui.login_journal import LoginJournal

#: Seconds a cancel may take before the session is left for a later try.
CANCEL_TIMEOUT = 3.0


class OpenSessions:
    """The login sessions open on the server, app-wide: whatever is still here when the app
    ends is cancelled (``cancel_all``). With a ``journal``, each is also written down until
    it ends, so the next start cancels what a crash left open."""

    def __init__(self, journal: LoginJournal | None = None, base_url: str = "") -> None:
        self._open: set[tuple[str, str]] = set()
        self._journal = journal
        self._base_url = base_url

    def track_session(self, bridge_id: str, session_id: str) -> None:
        self._open.add((bridge_id, session_id))
        if self._journal is not None:
            self._journal.record(bridge_id, session_id, self._base_url)

    def untrack_session(self, bridge_id: str, session_id: str) -> None:
        self._open.discard((bridge_id, session_id))
        if self._journal is not None:
            self._journal.remove(bridge_id, session_id)

    def __len__(self) -> int:
        return len(self._open)

    def __contains__(self, session: object) -> bool:
        return session in self._open

    RETRY_DELAYS: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0)
    """Seconds between the tries of ``cancel_later``; after the last, the app's exit tries."""

    async def cancel_later(self, client: BeeperClient, bridge_id: str, session_id: str) -> bool:
        """Try the DELETE of a session whose cancel failed again, after each of
        ``RETRY_DELAYS``, until it goes through (or is gone: 404) or another way out closed it.
        True once it is closed; False when every try failed (it stays for ``cancel_all``)."""
        for delay in self.RETRY_DELAYS:
            await asyncio.sleep(delay)
            if (bridge_id, session_id) not in self._open:
                return True
            try:
                async with asyncio.timeout(CANCEL_TIMEOUT):
                    await client.cancel_login_session(bridge_id, session_id)
            except errors.NotFound:
                pass
            except (errors.BeeperError, TimeoutError):
                continue
            self.untrack_session(bridge_id, session_id)
            return True
        return False

    async def cancel_all(self, client: BeeperClient, timeout: float = CANCEL_TIMEOUT) -> int:
        """DELETE every session still open; how many could not be (the app is leaving: a
        failed cancel stays in the journal for the next start, and is told on stderr)."""
        failed = 0
        for bridge_id, session_id in list(self._open):
            try:
                async with asyncio.timeout(timeout):
                    await client.cancel_login_session(bridge_id, session_id)
            except errors.NotFound:
                pass  # already gone: nothing is left open
            except Exception:
                failed += 1
                self._open.discard((bridge_id, session_id))
                continue
            if self._journal is not None:
                self._journal.remove(bridge_id, session_id)
            self._open.discard((bridge_id, session_id))
        return failed
