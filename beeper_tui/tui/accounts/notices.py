"""What the accounts screen says when something happened — a login wizard ended, accounts
broke — as plain data: the notifications to show and the rows to mark.

No textual here: the screen shows what these return; a test reads them without an app.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from beeper_tui.text import shown
from beeper_tui.tui.accounts.account_rows import AccountRow

if TYPE_CHECKING:
    from beeper_tui.tui.login.outcome import LoginOutcome

#: Accounts needing attention named one by one in notifications; more get one summary.
NOTIFY_EACH = 3

Severity = Literal["information", "warning", "error"]


@dataclass(frozen=True)
class Notice:
    """One notification: its words (already made safe), title and severity."""

    message: str
    title: str
    severity: Severity = "information"


@dataclass(frozen=True)
class LoginReport:
    """What to say and mark after a login wizard ended."""

    marks: dict[str, str] = field(default_factory=dict)
    """Rows to mark (``●``), by account ID, with the note the detail pane shows."""
    notice: Notice | None = None


def login_report(
    outcome: LoginOutcome, row: AccountRow | None = None, *, quiet: bool = False
) -> LoginReport:
    """After reconnecting ``row`` (or adding an account, without a row): the marks and the
    notification. ``quiet`` (reconnect-all, which sums up at the end) only marks."""
    if outcome.different_account:  # a reconnect that added someone else: never "reconnected"
        from beeper_tui.tui.login.outcome import different_account_words

        added, still_broken = different_account_words(outcome)
        marks = {outcome.account_id: "added just now"} if outcome.account_id else {}
        notice = Notice(f"{added}. {still_broken}", "A different account was added", "warning")
        return LoginReport(marks, None if quiet else notice)
    if quiet:
        if outcome.status == "complete" and row is not None:
            return LoginReport({row.account_id: "reconnected just now"})
        return LoginReport()
    if outcome.status == "complete":
        ids = {i for i in (outcome.account_id, row.account_id if row else None) if i}
        note = "reconnected just now" if row else "added just now"
        who = outcome.account.user.display_name if outcome.account else None
        name = row.title if row else (who or outcome.bridge_id)
        return LoginReport(
            dict.fromkeys(ids, note), Notice(f"{shown(name, 80)}: {note}.", "Connected")
        )
    if outcome.status == "failed":
        why = outcome.error.message if outcome.error else "the login failed"
        return LoginReport(notice=Notice(shown(why), "Login failed", "error"))
    return LoginReport()


def breakage_notices(broken: Sequence[AccountRow]) -> list[Notice]:
    """Accounts that just came to need attention: one notification each, or one for all
    when there are more than :data:`NOTIFY_EACH`."""
    if len(broken) > NOTIFY_EACH:
        return [
            Notice(
                f"{len(broken)} accounts need attention. Press R to reconnect them one by one.",
                "Accounts need attention",
                "warning",
            )
        ]
    return [
        Notice(
            f"{shown(row.title, 80)}: {shown(row.status_text or row.status)}",
            "Needs attention",
            "warning",
        )
        for row in broken
    ]
