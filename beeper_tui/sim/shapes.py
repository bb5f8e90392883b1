"""The simulator's JSON: the official response shapes (camelCase) of world objects.

Optional keys are left out rather than sent as null, as the real server does. A session's
``currentStep`` is absent once it ended; a complete session carries its ``account`` and
``login`` (for a Slack login with two workspaces, the first workspace's account).
"""

from __future__ import annotations

from typing import Any, Protocol

from beeper_tui.sim.records import SimAccount, SimBridge, SimLogin
from beeper_tui.sim.session_flow import SimSession


class World(Protocol):
    """What the shapes read of the world (``world.World`` is one): its records, and the two
    answers that take more than a look (a bridge's accounts, its status now)."""

    bridges: dict[str, SimBridge]
    logins: dict[tuple[str, str], SimLogin]
    accounts: dict[str, SimAccount]

    def bridge_accounts(self, bridge_id: str) -> list[SimAccount]: ...

    def bridge_status(self, bridge: SimBridge) -> tuple[str, str | None]: ...


NEEDS_LOGIN = frozenset({"connection_required", "reconnect_required"})


def account_wire(world: World, account: SimAccount) -> dict[str, Any]:
    bridge = world.bridges[account.bridge_id]
    wire: dict[str, Any] = {
        "accountID": account.account_id,
        "loginID": account.login_id,
        "bridge": {"id": bridge.id, "type": bridge.type, "provider": bridge.provider},
        "network": bridge.network,
        "user": dict(account.user),
        "status": account.status,
    }
    if account.status_text:
        wire["statusText"] = account.status_text
    return wire


def bridge_wire(world: World, bridge: SimBridge) -> dict[str, Any]:
    accounts = world.bridge_accounts(bridge.id)
    status, status_text = world.bridge_status(bridge)
    wire: dict[str, Any] = {
        "id": bridge.id,
        "type": bridge.type,
        "provider": bridge.provider,
        "displayName": bridge.display_name,
        "network": bridge.network,
        "activeAccountCount": len(accounts),
        "supportsMultipleAccounts": bridge.supports_multiple,
        "status": status,
        "accounts": [account_wire(world, a) for a in accounts],
    }
    if status_text:
        wire["statusText"] = status_text
    return wire


def login_wire(
    world: World, login: SimLogin, accounts: list[SimAccount] | None = None
) -> dict[str, Any]:
    """A BridgeLogin; ``accounts`` (the login's accounts) saves a search when already known."""
    if accounts is None:
        accounts = [
            a for a in world.bridge_accounts(login.bridge_id) if a.login_id == login.login_id
        ]
    statuses = {a.status for a in accounts}
    trouble = next((a for a in accounts if a.status_text and a.status != "connected"), None)
    if statuses & NEEDS_LOGIN:
        status = "needs_login"
    elif statuses & {"disconnected", "disabled"}:
        status = "logged_out"
    elif "connecting" in statuses:
        status = "connecting"
    elif statuses:
        status = "connected"
    else:
        status = "unknown"
    wire: dict[str, Any] = {
        "bridgeID": login.bridge_id,
        "loginID": login.login_id,
        "status": status,
        "removeScopes": list(login.remove_scopes),
        "accountIDs": [a.account_id for a in accounts],
        "user": dict(login.user),
    }
    if trouble is not None and trouble.status_text:
        wire["statusText"] = trouble.status_text
    return wire


def session_wire(world: World, session: SimSession) -> dict[str, Any]:
    wire: dict[str, Any] = {
        "loginSessionID": session.id,
        "bridgeID": session.bridge_id,
        "status": session.status,
    }
    if session.step is not None:
        wire["currentStep"] = session.step.to_wire(session.data)
    if session.login_id:
        wire["loginID"] = session.login_id
    if session.account_id:
        wire["accountID"] = session.account_id
    if session.status == "complete":
        login = world.logins.get((session.bridge_id, session.login_id or ""))
        account = world.accounts.get(session.account_id or "")
        if account is not None:
            wire["account"] = account_wire(world, account)
        if login is not None:
            wire["login"] = login_wire(world, login)
    if session.error is not None:
        wire["error"] = dict(session.error)
    return wire
