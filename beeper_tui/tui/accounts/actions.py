"""``AccountActions``: the part of ``AccountsScreen`` that acts on accounts — reconnect one or
all, add one, remove a login, copy an ID — and reports how each ended.

Reconnecting and adding open the login wizard; the flow a bridge's login used is remembered,
so the next reconnect of that bridge goes straight to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import work

from beeper_tui.api.errors import BeeperError
from beeper_tui.api.models import BridgeLogin
from beeper_tui.text import clean, shown
from beeper_tui.tui.accounts.account_rows import AccountRow
from beeper_tui.tui.accounts.bridge_table import why_cant_add

if TYPE_CHECKING:
    from beeper_tui.tui.accounts.screen import AccountsScreen, AccountsScreenPart
    from beeper_tui.tui.login.screen import LoginOutcome, LoginWizardScreen
else:  # a plain mixin at run time; its @on handlers stay on the screen itself
    AccountsScreenPart = object


class AccountActions(AccountsScreenPart):
    """Reconnect, add, remove and copy, for one account or many (a mixin of
    ``AccountsScreen``)."""

    def __init__(self) -> None:
        super().__init__()
        self._flows: dict[str, str] = {}

    def copy_account_id(self, account_id: str) -> None:
        self.app.copy_to_clipboard(account_id)
        self.notify(f"Copied account ID {clean(account_id)}", title="Copied", markup=False)

    # --- Reconnect and add -------------------------------------------------------------------

    def reconnect_account(self, account_id: str) -> None:
        """Open the login wizard on an account's login (and the bridge's remembered flow)."""
        row = self._rows.get(account_id)
        if row is None:
            self.notify("That account is no longer listed.", severity="warning")
            return
        self.app.push_screen(self.wizard_for(row), lambda outcome: self.after_login(outcome, row))

    def add_account(self, bridge_id: str) -> None:
        """Open the login wizard for a new account, unless the bridge can't take one now."""
        bridge = next((b for b in self._bridges if b.id == bridge_id), None)
        why_not = why_cant_add(bridge) if bridge is not None else None
        if bridge is not None and why_not:
            self.notify(
                shown(why_not),
                title=f"Can't add a {shown(bridge.display_name, 40)} account now",
                severity="warning",
                markup=False,
            )
            return
        from beeper_tui.tui.login.screen import LoginWizardScreen

        self.app.push_screen(LoginWizardScreen(bridge_id), self.after_login)

    def action_add(self) -> None:
        if self.on_bridges_view:
            bridge = self.bridge_table.current_bridge
            if bridge is not None:
                self.add_account(bridge.id)
            return
        if not self._bridges:
            self.notify("No bridges known yet: wait for the list to load.", severity="warning")
            return

        def picked(bridge_id: str | None) -> None:
            if bridge_id:
                self.add_account(bridge_id)

        from beeper_tui.tui.accounts.pickers import BridgePickerDialog

        self.app.push_screen(BridgePickerDialog(self._bridges), picked)

    def after_login(
        self, outcome: LoginOutcome | None, row: AccountRow | None = None, *, quiet: bool = False
    ) -> None:
        """Remember the flow, mark the row, say what happened (unless ``quiet``), refresh."""
        if outcome is None:
            return
        if outcome.flow_id:
            self._flows[outcome.bridge_id] = outcome.flow_id
        if quiet:
            if outcome.status == "complete" and row is not None:
                self.table.mark({row.account_id: "reconnected just now"})
        elif outcome.status == "complete":
            ids = {i for i in (outcome.account_id, row.account_id if row else None) if i}
            note = "reconnected just now" if row else "added just now"
            self.table.mark(dict.fromkeys(ids, note))
            who = outcome.account.user.display_name if outcome.account else None
            name = row.title if row else (who or outcome.bridge_id)
            self.notify(f"{shown(name, 80)}: {note}.", title="Connected", markup=False)
        elif outcome.status == "failed":
            why = outcome.error.message if outcome.error else "the login failed"
            self.notify(shown(why), title="Login failed", severity="error", markup=False)
        self.refresh_now()

    def action_reconnect_all(self) -> None:
        self._reconnect_all()

    @work(exclusive=True, group="batch")
    async def _reconnect_all(self) -> None:
        from beeper_tui.tui.accounts.reconnect_all import reconnect_all

        await reconnect_all(cast("AccountsScreen", self))

    def wizard_for(self, row: AccountRow) -> LoginWizardScreen:
        """A login wizard that reconnects ``row`` (with the bridge's remembered flow)."""
        from beeper_tui.tui.login.screen import LoginWizardScreen

        return LoginWizardScreen(
            row.bridge_id,
            flow_id=self._flows.get(row.bridge_id),
            login_id=row.login_id,
            account_id=row.account_id,
        )

    # --- Remove ------------------------------------------------------------------------------

    def remove_account(self, account_id: str) -> None:
        row = self._rows.get(account_id)
        if row is None:
            self.notify("That account is no longer listed.", severity="warning")
        elif not row.login_id:
            self.notify("This account has no login ID, so it can't be removed here.")
        else:
            self._remove(row)

    @work(exclusive=True, group="remove")
    async def _remove(self, row: AccountRow) -> None:
        from beeper_tui.tui.accounts.remove_login import remove_login_of

        await remove_login_of(cast("AccountsScreen", self), row)

    def remember_logins(self, bridge_id: str, logins: list[BridgeLogin]) -> None:
        """Logins loaded elsewhere (the remove dialog) serve the detail pane too."""
        self.detail.remember(bridge_id, logins)

    def name_of(self, account_id: str) -> str:
        """``WhatsApp — Alice (wa-1)``, or the bare ID of an account no longer listed."""
        row = self._rows.get(account_id)
        bare = shown(account_id)
        return f"{shown(row.title)} ({bare})" if row else bare

    def api_error(self, title: str, exc: BeeperError) -> None:
        """An API failure as a notification (never a traceback)."""
        self.notify(clean(exc.explanation), title=title, severity="error", markup=False)
