"""Accounts, the bridges they run on, and the logins behind them: what the accounts screen,
``status`` and ``watch`` read, and the answers of removing a login or cancelling a session."""

from __future__ import annotations

from typing import Any

from beeper_tui.api.models.statuses import BRIDGE_UNAVAILABLE, Health, classify_health
from beeper_tui.api.models.wire import WireModel


class User(WireModel):
    id: str
    username: str | None = None
    phone_number: str | None = None
    email: str | None = None
    full_name: str | None = None
    img_url: str | None = None
    cannot_message: bool | None = None
    is_self: bool | None = None

    @property
    def display_name(self) -> str:
        """fullName, else username, phone, email, else the ID."""
        for value in (self.full_name, self.username, self.phone_number, self.email):
            if value:
                return value
        return self.id


class AccountBridge(WireModel):
    id: str
    type: str
    provider: str


class Account(WireModel):
    account_id: str
    bridge: AccountBridge
    user: User
    status: str
    login_id: str | None = None
    network: str | None = None
    status_text: str | None = None
    capabilities: dict[str, Any] | None = None

    @property
    def health(self) -> Health:
        return classify_health(self.status)


class Bridge(WireModel):
    id: str
    type: str
    provider: str
    display_name: str
    active_account_count: int
    supports_multiple_accounts: bool
    status: str
    accounts: list[Account] = []
    status_text: str | None = None
    network: str | None = None

    @property
    def can_add_account(self) -> bool:
        return self.status not in BRIDGE_UNAVAILABLE


class LoginFlow(WireModel):
    id: str
    name: str | None = None
    description: str | None = None


class BridgeLogin(WireModel):
    login_id: str
    bridge_id: str
    status: str
    remove_scopes: list[str] = []
    account_ids: list[str] | None = None
    user: User | None = None
    status_text: str | None = None


class RemoveLoginResult(WireModel):
    bridge_id: str
    login_id: str
    status: str
    scope: str
    affected_account_ids: list[str] | None = None


class CancelLoginSessionResult(WireModel):
    bridge_id: str
    login_session_id: str
    status: str
