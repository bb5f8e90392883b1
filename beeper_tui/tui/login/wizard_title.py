"""What the login wizard's header says: which network, new account or whose reconnect, which
flow, whom to sign in as, which step — as plain words, no Textual (``header.py`` draws them).

    WhatsApp · Reconnect Amara Okafor · QR code
    Sign in as Amara Okafor, +234 803 555 0101
    Step 2 · Enter the code

Every part may come from the server (names, flow titles): the header cleans it as it draws.
"""

from __future__ import annotations

from dataclasses import dataclass

from beeper_tui.api.models import Bridge, LoginFlow, UserInputStep
from beeper_tui.tui.login.identity import account_being_fixed

# What a form asks for, by the type of its first telling field.
_FORM_TITLES = {
    "phone_number": "Enter your phone number",
    "2fa_code": "Enter the code",
    "captcha_code": "Enter the captcha",
    "password": "Enter your password",
    "token": "Paste your token",
    "email": "Enter your email address",
    "username": "Enter your username",
    "url": "Enter the address",
    "domain": "Enter the server",
    "select": "Choose",
}


@dataclass(frozen=True)
class WizardTitle:
    """What the header says; any part may be missing while it is being loaded."""

    bridge: str
    purpose: str = "New account"
    """ "New account", or "Reconnect <who>"."""
    flow: str | None = None
    step: str | None = None
    """ "Step 2 · Enter the code", "Done · Connected", …"""
    sign_in_as: str | None = None
    """ "Sign in as Alice Example, +1 415…" on a reconnect of a known account."""

    @property
    def top_line(self) -> str:
        return " · ".join(part for part in (self.bridge, self.purpose, self.flow) if part)


def purpose_of(bridge: Bridge | None, login_id: str | None, account_id: str | None) -> str:
    """ "New account", or "Reconnect <who>" with the account's user from the bridge's list."""
    if not (login_id or account_id):
        return "New account"
    account = account_being_fixed(bridge, login_id, account_id)
    return f"Reconnect {account.user.display_name}" if account else "Reconnect"


def flow_name(flows: list[LoginFlow], flow_id: str | None) -> str | None:
    """The chosen flow's name; with none chosen, the only flow's (the server's default)."""
    flow = next((f for f in flows if f.id == flow_id), None)
    if flow is None and flow_id is None and len(flows) == 1:
        flow = flows[0]
    return (flow.name or flow.id) if flow else flow_id


def step_title(step: object, heading: str) -> str:
    """The step in a few words: a form by what it asks for ("Enter the code"), any other step
    by its widget's heading ("Scan the QR code with your phone")."""
    if isinstance(step, UserInputStep):
        kinds = [field.type or "" for field in step.fields]
        for kind in ("2fa_code", "captcha_code", "phone_number", "token", "email"):
            if kind in kinds:
                return _FORM_TITLES[kind]
        if "username" in kinds and "password" in kinds:
            return "Enter your username and password"
        if kinds and kinds[0] in _FORM_TITLES:
            return _FORM_TITLES[kinds[0]]
    return heading
