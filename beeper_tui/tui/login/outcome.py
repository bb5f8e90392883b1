"""``LoginOutcome``: how a login wizard ended — complete, failed or cancelled — and who was
connected, for the screen that opened it.

The server names the login and the account in several places (the session, its ``complete``
step, the account inside it); ``login_outcome`` takes the first one given, and falls back on
what the wizard was opened with. A reconnect that signed in as someone else
(``different_account``, see ``identity.py``) is told as such, never as "reconnected":
:func:`different_account_words`.
"""

from __future__ import annotations

from dataclasses import dataclass

from beeper_tui.api.models import Account, APIError, Bridge, CompleteStep, LoginSession
from beeper_tui.login_command import outcome_line
from beeper_tui.text import shown
from beeper_tui.tui.login.identity import identity_of, signed_in_elsewhere


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
    fixing: Account | None = None
    """On a reconnect, the account it was opened to fix, when listed."""
    different_account: bool = False
    """A reconnect completed as someone else: a different account was added (``login_id``,
    ``account_id`` and ``account`` are that one's), and ``fixing`` still needs attention."""


def complete_step_of(session: LoginSession) -> CompleteStep:
    """The ``complete`` step to show: the server's (filled in from the session), or one made
    from the session when it ended without a ``currentStep``."""
    step = session.current_step
    if not isinstance(step, CompleteStep):
        return CompleteStep(type="complete", account=session.account, login=session.login)
    found = {"account": step.account or session.account, "login": step.login or session.login}
    return step.model_copy(update=found)


def _first(*values: str | None) -> str | None:
    return next((value for value in values if value), None)


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
    fixing: Account | None = None,
) -> LoginOutcome:
    """The outcome of a wizard opened on ``bridge_id`` (and, to reconnect, ``login_id`` and
    ``account_id`` — the account ``fixing``), from the latest ``session`` and its ``complete``
    step, when known."""
    account = (step.account if step else None) or (session.account if session else None)
    login = (step.login if step else None) or (session.login if session else None)
    session_login = session.login_id if session else None
    session_account = session.account_id if session else None
    completed_login = _first(
        login.login_id if login else None, account.login_id if account else None
    )
    completed_account = account.account_id if account else None
    elsewhere = status == "complete" and signed_in_elsewhere(
        step,
        session,
        login_id=login_id or (fixing.login_id if fixing else None),
        account_id=account_id or (fixing.account_id if fixing else None),
    )
    if elsewhere:  # the new account's, never the reconnect target the session may echo
        found_login = _first(completed_login, session_login)
        found_account = _first(completed_account, session_account)
    else:
        found_login = _first(session_login, completed_login, login_id)
        found_account = _first(session_account, completed_account, account_id)
    return LoginOutcome(
        status,
        bridge_id,
        flow_id,
        found_login,
        found_account,
        account,
        error,
        fixing,
        elsewhere,
    )


def different_account_words(outcome: LoginOutcome) -> tuple[str, str]:
    """What to say when a reconnect added someone else, plainly, in two parts:
    ("A different account was added: Bob Stone, +1 555 0199", "Alice Example still needs
    attention: …") — every name is server text, cleaned."""
    added = identity_of(outcome.account) if outcome.account else "another account"
    fixing = shown(outcome.fixing.user.display_name, 60) if outcome.fixing else "The account"
    return (
        f"A different account was added: {shown(added, 100)}",
        f"{fixing} still needs attention: reconnect it and sign in as that account.",
    )


def final_line(outcome: LoginOutcome | None, bridge: Bridge) -> str:
    """``beeper-tui login``'s last line: how the wizard ended ("Connected WhatsApp — Alice",
    "Failed: why", "Cancelled"), and for a reconnect that signed in as someone else the same
    plain words as the screen, never "Connected"."""
    if outcome is None:
        return outcome_line(None, bridge, None, None)
    if outcome.different_account:
        return "; ".join(different_account_words(outcome))
    return outcome_line(outcome.status, bridge, outcome.account, outcome.error)
