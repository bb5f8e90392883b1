"""A login session: where it stands, its current step, and how it ended."""

from __future__ import annotations

from beeper_tui.api.models.accounts import Account, BridgeLogin
from beeper_tui.api.models.problems import APIError
from beeper_tui.api.models.statuses import SESSION_ENDED
from beeper_tui.api.models.steps import LoginStep
from beeper_tui.api.models.wire import WireModel


class LoginSession(WireModel):
    login_session_id: str
    bridge_id: str
    status: str
    current_step: LoginStep | None = None
    login_id: str | None = None
    account_id: str | None = None
    account: Account | None = None
    login: BridgeLogin | None = None
    error: APIError | None = None

    @property
    def ended(self) -> bool:
        return self.status in SESSION_ENDED
