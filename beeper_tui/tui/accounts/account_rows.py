"""What the accounts list shows, as plain data: one ``AccountRow`` per account, sorted
attention-first, with the text a filter searches.

No textual here: sorting, filtering and change detection are plain functions a test (or a
benchmark) can call without a screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from beeper_tui.api.models import Account, Bridge, Health, classify_health

#: Where a bridge runs, in the words the list uses.
_RUNS = {
    "local": "local",
    "cloud": "cloud",
    "self-hosted": "self-hosted",
    "platform-sdk": "platform",
}


def runs_where(provider: str) -> str:
    """``local`` / ``cloud`` / ``self-hosted`` / ``platform``; an unknown provider as given."""
    return _RUNS.get(provider, provider)


def health_label(health: Health) -> str:
    """Glyph and word together, so health never rests on colour alone."""
    return f"{health.glyph} {health.value}"


@dataclass(frozen=True, eq=False)
class AccountRow:
    """One line of the accounts list: an account and the bridge it belongs to. What sorting,
    counting and drawing ask of every row (its key, health, network and person) is worked out
    once per row: with 2 000 accounts each was asked several times per refresh."""

    account: Account
    bridge: Bridge
    target: str | None = None
    """The Beeper Desktop (``[targets.NAME]``) the account is on, when there are several."""
    key: str = field(init=False)
    """What tells this row from every other in the list: the account ID, and with several
    Beeper Desktops its target too (two of them may well list the same account ID)."""
    health: Health = field(init=False)
    network: str = field(init=False)
    """The account's network, else its bridge's, else the bridge's name."""
    person: str = field(init=False)

    def __post_init__(self) -> None:
        account, bridge = self.account, self.bridge
        set_once = object.__setattr__  # the frozen dataclass's way to set its own fields
        set_once(self, "key", row_key(self.target, account.account_id))
        set_once(self, "health", account.health)
        set_once(self, "network", account.network or bridge.network or bridge.display_name)
        set_once(self, "person", account.user.display_name)

    @cached_property
    def haystack(self) -> str:
        """Case-folded text a filter matches against: everything the row shows, and its IDs
        (worked out on the first filtering, not for every refresh)."""
        parts = (
            health_label(self.health),
            self.network,
            self.bridge.display_name,
            self.bridge.id,
            self.person,
            self.account.status,
            self.status_text,
            self.runs,
            self.account_id,
            self.account.login_id or "",
            self.account.user.id,
            f"target:{self.target}" if self.target else "",  # the filter "target:work"
        )
        return "\n".join(parts).casefold()

    @property
    def account_id(self) -> str:
        return self.account.account_id

    @property
    def bridge_key(self) -> str:
        """The bridge's ID, with its target when there are several (see :attr:`key`)."""
        return row_key(self.target, self.bridge.id)

    @property
    def login_id(self) -> str | None:
        return self.account.login_id

    @property
    def bridge_id(self) -> str:
        return self.bridge.id

    @property
    def status(self) -> str:
        return self.account.status

    @property
    def status_text(self) -> str:
        return self.account.status_text or ""

    @property
    def runs(self) -> str:
        return runs_where(self.account.bridge.provider or self.bridge.provider)

    @property
    def title(self) -> str:
        """How commands and notifications name the account: ``WhatsApp — Alice Example``."""
        return f"{self.network} — {self.person}"

    def same_as(self, other: AccountRow) -> bool:
        """True when nothing the list shows about the account has changed."""
        return self.account == other.account and self.bridge.display_name == (
            other.bridge.display_name
        )

    def matches(self, terms: Sequence[str]) -> bool:
        """True when every (case-folded) term occurs in the row's text."""
        haystack = self.haystack
        return all(term in haystack for term in terms)


#: Between a target's name and an ID in a row's key: no name or ID holds it.
KEY_SEPARATOR = "\x1f"


def row_key(target: str | None, some_id: str) -> str:
    """An ID as the list keys it: as it is with one Beeper Desktop, after its target's name
    with several."""
    return some_id if target is None else f"{target}{KEY_SEPARATOR}{some_id}"


def split_key(key: str) -> tuple[str | None, str]:
    """The target and the ID in a :func:`row_key`."""
    target, separator, some_id = key.partition(KEY_SEPARATOR)
    return (target, some_id) if separator else (None, key)


def sort_key(row: AccountRow) -> tuple[int, str, str, str, str]:
    """Attention first, then unknown, working, connected, disabled; then network, person
    (and target, with several Beeper Desktops)."""
    return (
        row.health.rank,
        row.network.casefold(),
        row.person.casefold(),
        row.target or "",
        row.account_id,
    )


def rows_from_bridges(bridges: Iterable[Bridge], target: str | None = None) -> list[AccountRow]:
    """Every account of every bridge (one ``GET /v1/bridges``), attention-first; ``target``
    names the Beeper Desktop they came from, when there are several."""
    rows = [
        AccountRow(account, bridge, target) for bridge in bridges for account in bridge.accounts
    ]
    rows.sort(key=sort_key)
    return rows


def filter_terms(query: str) -> list[str]:
    """A filter query as case-folded terms; every term must match."""
    return query.casefold().split()


def filter_rows(rows: Sequence[AccountRow], query: str) -> list[AccountRow]:
    """The rows whose visible text (name, network, status, IDs) contains every term."""
    terms = filter_terms(query)
    if not terms:
        return list(rows)
    return [row for row in rows if row.matches(terms)]


@dataclass(frozen=True)
class StatusChange:
    """An account whose status differs between two refreshes."""

    row: AccountRow
    old_status: str

    @property
    def broke(self) -> bool:
        """True when the account has just come to need attention."""
        return (
            self.row.health is Health.ATTENTION
            and classify_health(self.old_status) is not Health.ATTENTION
        )


def status_changes(before: Sequence[AccountRow], after: Sequence[AccountRow]) -> list[StatusChange]:
    """Accounts present in both lists whose status changed (new accounts are not changes)."""
    old = {row.key: row.status for row in before}
    return [
        StatusChange(row, old[row.key])
        for row in after
        if row.key in old and old[row.key] != row.status
    ]


def health_counts(rows: Iterable[AccountRow]) -> dict[Health, int]:
    """How many accounts are in each health, every health present (zero or more)."""
    counts = dict.fromkeys(Health, 0)
    for row in rows:
        counts[row.health] += 1
    return counts
