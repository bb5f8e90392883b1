"""Confirm removing a bridge login: which scope (only those the login offers), and every
account that goes with it.

One login can hold several accounts (Slack workspaces); removing it removes them all, so the
dialog names each one. It dismisses with the chosen scope, or None. :func:`remove_login` is
the whole flow, given what it needs (the client, the list, how to ask and to speak).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from beeper_tui.api.client import BeeperClient
from beeper_tui.api.errors import BeeperError
from beeper_tui.api.models import BridgeLogin
from beeper_tui.text import clean, shown
from beeper_tui.tui.accounts.account_detail import SCOPE_WORDS
from beeper_tui.tui.accounts.account_rows import AccountRow, health_label
from beeper_tui.tui.widgets.dialog import Dialog


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


class Notify(Protocol):
    """How the flow speaks to the person: a notification (``Widget.notify``)."""

    def __call__(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...


async def remove_login(
    client: BeeperClient,
    row: AccountRow,
    listed: Sequence[AccountRow],
    *,
    confirm: Callable[[RemoveLoginDialog], Awaitable[str | None]],
    notify: Notify,
    remember_logins: Callable[[str, list[BridgeLogin]], None],
) -> bool:
    """``d``: load the account's login, confirm with its scopes and every account it holds,
    remove it, and report the accounts Beeper Desktop says went with it. True when the login
    was removed (the list should be refreshed).

    ``listed`` is the accounts list as shown; ``confirm`` shows the dialog and waits for its
    answer (``App.push_screen_wait``: call from a worker); ``remember_logins`` keeps the
    loaded logins for the detail pane.
    """
    bridge_id, login_id = row.bridge_id, row.login_id or ""

    def failed(title: str, exc: Exception) -> bool:
        """An API failure (or an odd one) as a notification, never a traceback."""
        why = exc.explanation if isinstance(exc, BeeperError) else f"{type(exc).__name__}: {exc}"
        notify(clean(why), title=title, severity="error", markup=False)
        return False

    try:
        logins = await client.logins(bridge_id)
    except Exception as exc:  # a BeeperError, or an ID the client can't put in a URL
        return failed("Couldn't load the login", exc)
    remember_logins(bridge_id, logins)
    login = next((x for x in logins if x.login_id == login_id), None)
    if login is None:
        notify(
            f"Beeper Desktop no longer lists login {shown(login_id)}; press g to refresh.",
            severity="warning",
            markup=False,
        )
        return False
    affected = [r for r in listed if r.bridge_id == bridge_id and r.login_id == login_id]
    known = {r.account_id for r in affected}
    unknown = [a for a in login.account_ids or [] if a not in known]
    scope = await confirm(RemoveLoginDialog(row.network, login, affected, unknown))
    if not scope:
        return False
    try:
        result = await client.remove_login(bridge_id, login_id, scope)
    except Exception as exc:
        return failed("Couldn't remove the login", exc)
    by_id = {r.account_id: r for r in listed}
    gone = [name_of(a, by_id.get(a)) for a in result.affected_account_ids or []]
    where = SCOPE_WORDS.get(result.scope) or shown(result.scope)
    message = f"Removed {shown(row.network)} login {shown(login_id)} from {where}."
    message += f" Accounts removed: {', '.join(gone)}." if gone else ""
    notify(message, title="Removed", markup=False, timeout=10)
    return True


def name_of(account_id: str, row: AccountRow | None) -> str:
    """``WhatsApp — Alice (wa-1)``, or the bare ID of an account no longer listed."""
    bare = shown(account_id)
    return f"{shown(row.title)} ({bare})" if row else bare
