"""Confirm removing a bridge login: which scope (only those the login offers), and every
account that goes with it.

One login can hold several accounts (Slack workspaces); removing it removes them all, so the
dialog names each one. It dismisses with the chosen scope, or None.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from beeper_tui.api.errors import BeeperError
from beeper_tui.api.models import BridgeLogin
from beeper_tui.text import shown
from beeper_tui.tui.accounts.account_detail import SCOPE_WORDS
from beeper_tui.tui.accounts.account_rows import AccountRow, health_label
from beeper_tui.tui.widgets.dialog import Dialog

if TYPE_CHECKING:
    from beeper_tui.tui.accounts.screen import AccountsScreen


def scope_button_label(scope: str) -> str:
    """``Remove from this device`` / ``Remove from all devices`` / ``Remove (other-scope)``."""
    words = SCOPE_WORDS.get(scope)
    return f"Remove from {words}" if words else f"Remove ({shown(scope)})"


def affected_text(accounts: Sequence[AccountRow], unknown_ids: Sequence[str]) -> Text:
    """The accounts a removal takes with it, one per line."""
    text = Text()
    for row in accounts:
        text.append("• ")
        text.append(shown(row.title), style="bold")
        text.append(f"\n  {health_label(row.health)} · {shown(row.account_id)}\n", "dim")
    for account_id in unknown_ids:
        text.append("• ")
        text.append(shown(account_id), style="bold")
        text.append("  (not in the list)\n", style="dim")
    return text


class RemoveLoginDialog(ModalScreen[str | None]):
    """ "Remove this WhatsApp login?" with a button per scope the login allows."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    RemoveLoginDialog {
        align: center middle;
        #remove-dialog {
            width: 78;
            max-height: 90%;
            border: thick $error;
        }
        #remove-title { text-style: bold; }
        #remove-login { color: $text-muted; margin-bottom: 1; }
        #remove-accounts { height: auto; max-height: 14; }
        #remove-buttons { height: auto; margin-top: 1; }
        #remove-buttons Button { margin-right: 2; }
        #remove-none { color: $text-warning; margin-top: 1; }
    }
    """

    def __init__(
        self,
        network: str,
        login: BridgeLogin,
        accounts: Sequence[AccountRow],
        unknown_ids: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.network = network
        self.login = login
        self.accounts = list(accounts)
        self.unknown_ids = list(unknown_ids)

    @property
    def scopes(self) -> list[str]:
        """The scopes offered: exactly the login's ``removeScopes``."""
        return list(dict.fromkeys(self.login.remove_scopes))

    def compose(self) -> ComposeResult:
        count = len(self.accounts) + len(self.unknown_ids)
        with Dialog(id="remove-dialog"):
            yield Static(Text(f"Remove this {shown(self.network)} login?"), id="remove-title")
            yield Static(
                Text(
                    f"Login {shown(self.login.login_id)} · "
                    f"{shown(self.login.status.replace('_', ' '))}"
                ),
                id="remove-login",
            )
            yield Static(
                "It removes this account:" if count == 1 else f"It removes these {count} accounts:"
            )
            with VerticalScroll(id="remove-accounts"):
                yield Static(affected_text(self.accounts, self.unknown_ids))
            if not self.scopes:
                yield Static(
                    "Beeper Desktop offers no way to remove this login from here.",
                    id="remove-none",
                )
            with Horizontal(id="remove-buttons"):
                for index, scope in enumerate(self.scopes):
                    yield Button(
                        Text(scope_button_label(scope)),
                        id=f"scope-{index}",
                        classes="scope",
                        variant="error",
                        name=scope,
                    )
                yield Button("Cancel (esc)", id="remove-cancel")

    def on_mount(self) -> None:
        self.query_one("#remove-cancel", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.name if event.button.id != "remove-cancel" else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


async def remove_login_of(screen: AccountsScreen, row: AccountRow) -> None:
    """``d``: load the account's login, confirm with its scopes and every account it holds,
    remove it, and report the accounts Beeper Desktop says went with it. Call from a worker."""
    bridge_id, login_id = row.bridge_id, row.login_id or ""
    try:
        logins = await screen.client.logins(bridge_id)
    except BeeperError as exc:
        screen.api_error("Couldn't load the login", exc)
        return
    screen.remember_logins(bridge_id, logins)
    login = next((x for x in logins if x.login_id == login_id), None)
    if login is None:
        screen.notify(
            f"Beeper Desktop no longer lists login {shown(login_id)}; press g to refresh.",
            severity="warning",
            markup=False,
        )
        return
    affected = [
        r for r in screen.table.all_rows if r.bridge_id == bridge_id and r.login_id == login_id
    ]
    known = {r.account_id for r in affected}
    unknown = [a for a in login.account_ids or [] if a not in known]
    scope = await screen.app.push_screen_wait(
        RemoveLoginDialog(row.network, login, affected, unknown)
    )
    if not scope:
        return
    try:
        result = await screen.client.remove_login(bridge_id, login_id, scope)
    except BeeperError as exc:
        screen.api_error("Couldn't remove the login", exc)
        return
    gone = [screen.name_of(a) for a in result.affected_account_ids or []]
    where = SCOPE_WORDS.get(result.scope) or shown(result.scope)
    message = f"Removed {shown(row.network)} login {shown(login_id)} from {where}."
    message += f" Accounts removed: {', '.join(gone)}." if gone else ""
    screen.notify(message, title="Removed", markup=False, timeout=10)
    screen.refresh_now()
