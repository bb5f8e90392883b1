"""``--notify``: poll after poll, a desktop notification per account that breaks or comes back.

:class:`AccountAlerts` joins the :class:`~beeper_tui.alerts.breakage.BreakageTracker` (which
transitions are news) to a :class:`~beeper_tui.alerts.desktop.Notifier` (how a person is told).
``watch`` and the TUI's accounts screen feed it each answer of ``GET /v1/bridges``; it sends
without making them wait (each notification runs in a worker thread) and answers with what it
told. More than :data:`TELL_EACH` breakages in one answer (a whole bridge going down) are told
as one notification naming them, not a pile of them. Headless.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import TextIO

from beeper_tui.alerts.breakage import Breakage, BreakageTracker
from beeper_tui.alerts.desktop import DesktopNotifier, Notification, Notifier, notification_for
from beeper_tui.api.models import Account, Bridge
from beeper_tui.text import one_line

#: Breakages in one answer told one by one; more are told together.
TELL_EACH = 3


class AccountAlerts:
    """Feed :meth:`update` every answer; it tells the person (see the module). Without a
    notifier it only keeps track (``watch`` still reports since when accounts are broken)."""

    def __init__(self, notifier: Notifier | None, tracker: BreakageTracker | None = None) -> None:
        self.notifier = notifier
        self.tracker = tracker or BreakageTracker()
        self._sending: set[asyncio.Future[str]] = set()
        self.told: list[Notification] = []
        """Every notification sent so far."""

    def update(self, bridges: Sequence[Bridge]) -> list[Breakage]:
        """This answer's accounts; the transitions it found, whose notifications are already
        on their way (in :attr:`told`)."""
        accounts: dict[str, tuple[Bridge, Account]] = {
            a.account_id: (b, a) for b in bridges for a in b.accounts
        }
        changes = self.tracker.update({i: a.health for i, (_, a) in accounts.items()})
        if self.notifier is not None:
            for note in self.words_for(changes, accounts):
                self.told.append(note)
                self._send(self.notifier, note)
        return changes

    @staticmethod
    def words_for(
        changes: Sequence[Breakage], accounts: dict[str, tuple[Bridge, Account]]
    ) -> list[Notification]:
        def facts(account_id: str) -> tuple[str, str, str | None]:
            bridge, account = accounts[account_id]
            name = account.user.display_name
            return name, account.network or bridge.display_name, account.status_text

        broke = [c for c in changes if c.broke]
        notes: list[Notification] = []
        if len(broke) > TELL_EACH:
            names = ", ".join(one_line(facts(c.account_id)[0], 30) for c in broke[:TELL_EACH])
            notes.append(
                Notification(
                    f"{len(broke)} accounts need attention",
                    one_line(f"{names}… — reconnect them in beeper-tui.", 200),
                )
            )
            changes = [c for c in changes if not c.broke]
        for change in changes:
            name, network, status_text = facts(change.account_id)
            notes.append(
                notification_for(change, name=name, network=network, status_text=status_text)
            )
        return notes

    def _send(self, notifier: Notifier, note: Notification) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            notifier.send(note)
            return
        future = loop.run_in_executor(None, notifier.send, note)
        self._sending.add(future)
        future.add_done_callback(self._sending.discard)

    async def drain(self, timeout: float = 5.0) -> None:
        """Wait for notifications still being sent (e.g. before the process exits)."""
        if self._sending:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait(set(self._sending), timeout=timeout)


def desktop_alerts(terminal: TextIO | None) -> AccountAlerts:
    """Alerts through the desktop's notifications; ``terminal`` gets the fallback sequence
    (``watch``: stderr; the TUI, which owns its terminal: None)."""
    return AccountAlerts(DesktopNotifier(terminal=terminal))
