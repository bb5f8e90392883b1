"""``LoginOutcome``: how a login wizard ended — complete, failed or cancelled — and who was
connected, for the screen that opened it.

The server names the login and the account in several places (the session, its ``complete``
step, the account inside it); ``login_outcome`` takes the first one given, and falls back on
what the wizard was opened with.
"""

from __future__ import annotations

from dataclasses import dataclass

from beeper_tui.api.models import Account, APIError, CompleteStep, LoginSession


@dataclass(frozen=True)
class LoginOutcome:
    """How a login wizard ended, for the screen that opened it."""

    status: str
    """ "complete", "failed" or "cancelled"."""
    bridge_id: str
    flow_id: str | None
    login_id: str | None
    """The login connected or reconnected."""
    account_id: str | None
    account: Account | None
    """Who was connected, when known."""
    error: APIError | None = None


def complete_step_of(session: LoginSession) -> CompleteStep:
    """The ``complete`` step to show: the server's (filled in from the session), or one made
    from the session when it ended without a ``currentStep``."""
    step = session.current_step
    if not isinstance(step, CompleteStep):
        return CompleteStep(type="complete", account=session.account, login=session.login)
    found = {"account": step.account or session.account, "login": step.login or session.login}
    return step.model_copy(update=found)


def login_outcome(
    status: str,
    *,
    bridge_id: str,
    flow_id: str | None,
    login_id: str | None,
    account_id: str | None,
    session: LoginSession | None = None,
    step: CompleteStep | None = None,
    error: APIError | None = None,
) -> LoginOutcome:
    """The outcome of a wizard opened on ``bridge_id`` (and, to reconnect, ``login_id`` and
    ``account_id``), from the latest ``session`` and its ``complete`` step, when known."""
    account = (step.account if step else None) or (session.account if session else None)
    login = (step.login if step else None) or (session.login if session else None)
    login_ids = [
        session.login_id if session else None,
        login.login_id if login else None,
        account.login_id if account else None,
        login_id,
    ]
    account_ids = [
        session.account_id if session else None,
        account.account_id if account else None,
        account_id,
    ]
    return LoginOutcome(
        status,
        bridge_id,
        flow_id,
        next((i for i in login_ids if i), None),
        next((i for i in account_ids if i), None),
        account,
        error,
    )
