"""Reconnect keeps the same login: whom a reconnect is for, how to say who an account is, and
whether a completed login signed in as that account or as someone else.

A reconnect only brings a login back when the person signs in as the same account: signing in
to WhatsApp with another phone adds that phone's account instead, and the account being fixed
stays broken. So the wizard says whom to sign in as before, and the outcome says plainly when
a different account was added after. No textual here: what is shown is plain, cleaned text.
"""

from __future__ import annotations

from beeper_tui.api.models import Account, Bridge, CompleteStep, LoginSession
from beeper_tui.text import one_line


def account_being_fixed(
    bridge: Bridge | None, login_id: str | None, account_id: str | None
) -> Account | None:
    """The account a reconnect is for, from the bridge's list (its account ID first, else the
    first account of its login); None for a new account or one not listed."""
    accounts = bridge.accounts if bridge else []
    account = next((a for a in accounts if account_id and a.account_id == account_id), None)
    if account is None and login_id:
        account = next((a for a in accounts if a.login_id == login_id), None)
    return account


def identity_of(account: Account) -> str:
    """Who an account is, in a few words: its name, and its phone number, handle or email
    when that says more ("Alice Example, +1 415 555 0100"). Server text, cleaned."""
    user = account.user
    name = one_line(user.display_name, 60)
    for detail in (user.phone_number, user.username, user.email):
        if detail and one_line(detail) != one_line(user.display_name):
            return f"{name}, {one_line(detail, 40)}"
    return name


def sign_in_as(account: Account | None) -> str | None:
    """ "Sign in as Alice Example, +1 415 555 0100" for the account a reconnect fixes, or None
    without one."""
    return f"Sign in as {identity_of(account)}" if account is not None else None


def signed_in_elsewhere(
    step: CompleteStep | None,
    session: LoginSession | None,
    *,
    login_id: str | None,
    account_id: str | None,
) -> bool:
    """Whether a completed reconnect of ``login_id`` / ``account_id`` signed in as someone
    else: the identity the login completed with (its ``complete`` step's login and account,
    else the session's) is another one. Logins are compared when both are known — one login
    may hold several accounts (Slack workspaces) and name any of them — else accounts. The
    session's own ``loginID``/``accountID`` are not compared: they may only echo what the
    reconnect asked for."""
    if not (login_id or account_id):
        return False
    account = (step.account if step else None) or (session.account if session else None)
    login = (step.login if step else None) or (session.login if session else None)
    got_login = (login.login_id if login else None) or (account.login_id if account else None)
    if login_id and got_login:
        return got_login != login_id
    got_account = account.account_id if account else None
    return bool(account_id and got_account and got_account != account_id)
