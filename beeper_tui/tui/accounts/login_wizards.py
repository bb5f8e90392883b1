"""``LoginWizards``: the login wizard as the accounts list opens it — to reconnect an account,
to add one, or for every account that needs attention in turn.

Which flow a wizard's picker preselects (the one the account or bridge last succeeded with) is
the wizard's own business (``beeper_tui/flow_memory.py``); this hands how each wizard ended
(what to mark, what to say) to the callback it was given. It is given the app to push screens
on, never the accounts screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from textual.app import App

from beeper_tui.tui.accounts.account_rows import AccountRow
from beeper_tui.tui.accounts.notices import LoginReport, login_report

if TYPE_CHECKING:  # the wizard is imported when first opened: a faster launch
    from beeper_tui.tui.accounts.reconnect_all import BatchResult
    from beeper_tui.tui.app import DesktopTarget
    from beeper_tui.tui.login.screen import LoginOutcome, LoginWizardScreen


class LoginWizards:
    """Opens login wizards for the accounts list and reports how each ended."""

    def __init__(
        self,
        ended: Callable[[LoginReport], None],
        *,
        target_of: Callable[[AccountRow], DesktopTarget | None] = lambda row: None,
    ) -> None:
        """``ended(report)`` runs after every wizard that reached an outcome; ``target_of``
        says which Beeper Desktop an account is on (the wizard talks to that one)."""
        self.ended = ended
        self.target_of = target_of

    def wizard_for(self, row: AccountRow) -> LoginWizardScreen:
        """A login wizard that reconnects ``row``."""
        from beeper_tui.tui.login.screen import LoginWizardScreen

        return LoginWizardScreen(
            row.bridge_id,
            login_id=row.login_id,
            account_id=row.account_id,
            target=self.target_of(row),
        )

    def reconnect(self, app: App[Any], row: AccountRow) -> None:
        """Open the wizard on ``row``'s login."""
        app.push_screen(self.wizard_for(row), lambda outcome: self.finished(outcome, row))

    def add(self, app: App[Any], bridge_id: str, target: DesktopTarget | None = None) -> None:
        """Open the wizard for a new account on ``bridge_id`` (of ``target``, when given)."""
        from beeper_tui.tui.login.screen import LoginWizardScreen

        app.push_screen(LoginWizardScreen(bridge_id, target=target), self.finished)

    async def reconnect_each(self, app: App[Any], rows: Sequence[AccountRow]) -> BatchResult:
        """Reconnect-all: ask, then run a wizard, for each row in turn (each reconnected row
        is marked, the words come in the summary). Call from a worker."""
        from beeper_tui.tui.accounts.reconnect_all import reconnect_each

        def reconnected(row: AccountRow, outcome: LoginOutcome) -> None:
            self.finished(outcome, row, quiet=True)

        return await reconnect_each(app, rows, self.wizard_for, reconnected)

    def finished(
        self, outcome: LoginOutcome | None, row: AccountRow | None = None, *, quiet: bool = False
    ) -> None:
        """A wizard ended: report (nothing when it was closed before any outcome)."""
        if outcome is None:
            return
        self.ended(login_report(outcome, row, quiet=quiet))
