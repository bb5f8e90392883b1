"""``AccountsFeed``: what Beeper Desktop says about the accounts, one refresh at a time.

One ``GET /v1/bridges`` per refresh gives every bridge and every account; the feed keeps the
last good answer (the rows by account ID, the bridges), works out which accounts changed
status since the one before (and which of them broke), counts the failures in a row and the
pause before the next try, and knows the server's version (its header, else ``/v1/info``
once). No textual here: the accounts screen draws what :meth:`AccountsFeed.refresh` returns,
and a test drives the feed without an app.

With several Beeper Desktops (the config file's ``[targets.NAME]``) each has a feed of its own
(its own client, failures and pause: one request per refresh per target), and
:class:`TargetFeeds` joins them into the one attention-first list: a target that fails keeps
its last rows (stale) and never empties the others'. Rows are keyed by
:attr:`~beeper_tui.tui.accounts.account_rows.AccountRow.key` (target and account ID).
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass, replace

from beeper_tui.api.client import BeeperClient
from beeper_tui.api.errors import BeeperError
from beeper_tui.api.models import Bridge
from beeper_tui.tui.accounts.account_rows import (
    AccountRow,
    StatusChange,
    rows_from_bridges,
    sort_key,
    split_key,
    status_changes,
)

#: Longest pause between retries while Beeper Desktop is away.
MAX_BACKOFF = 60.0


@dataclass(frozen=True)
class FeedUpdate:
    """A refresh that worked: the accounts now, and what changed since the last answer."""

    rows: Sequence[AccountRow]
    """Every account, attention first."""
    bridges: Sequence[Bridge]
    version: str | None
    """Beeper Desktop's version, when known."""
    first_load: bool
    """The first answer this feed got (nothing to compare with: no changes)."""
    changes: Sequence[StatusChange]
    """Accounts listed before and now whose status differs."""

    @property
    def broken(self) -> list[AccountRow]:
        """Accounts that have just come to need attention."""
        return [change.row for change in self.changes if change.broke]


@dataclass(frozen=True)
class FeedFailure:
    """A refresh that failed: why, and when the next try is due. The last data stays."""

    message: str
    retry_in: float
    had_data: bool
    """An earlier refresh worked, so what is shown is stale, not missing."""
    target: str | None = None
    """The Beeper Desktop that failed, when there are several."""


class AccountsFeed:
    """Polling state of the accounts list: the last answer, failures in a row, the version."""

    def __init__(
        self,
        client: BeeperClient,
        *,
        interval: float,
        first_answer: Awaitable[list[Bridge]] | None = None,
        target: str | None = None,
    ) -> None:
        """``interval``: seconds between refreshes while all is well. ``first_answer``: a
        ``GET /v1/bridges`` already on its way (the app asks while Textual starts), used for
        the first refresh instead of a second request. ``target``: the Beeper Desktop's name
        when there are several (its rows say it)."""
        self.client = client
        self.interval = interval
        self.target = target
        self._first_answer = first_answer
        self._rows: list[AccountRow] = []
        self._by_id: dict[str, AccountRow] = {}
        self._bridges: list[Bridge] = []
        self._failures = 0
        self._loaded = False
        self._info_version: str | None = None

    @property
    def rows(self) -> Sequence[AccountRow]:
        """Every account of the last good answer, attention first."""
        return self._rows

    @property
    def bridges(self) -> Sequence[Bridge]:
        """Every bridge of the last good answer, as Beeper Desktop listed them."""
        return self._bridges

    @property
    def loaded(self) -> bool:
        """True once a refresh has worked."""
        return self._loaded

    @property
    def failures(self) -> int:
        """Refreshes failed in a row (0 after one that worked)."""
        return self._failures

    @property
    def by_id(self) -> Mapping[str, AccountRow]:
        """The accounts of the last good answer by :attr:`AccountRow.key` (the account ID
        with one Beeper Desktop)."""
        return self._by_id

    def row(self, key: str) -> AccountRow | None:
        """The account with this key (its ID) in the last answer, if listed."""
        return self._by_id.get(key)

    def bridge(self, bridge_id: str) -> Bridge | None:
        """The (first) bridge with this ID in the last answer, if listed."""
        return next((b for b in self._bridges if b.id == bridge_id), None)

    def retry_delay(self) -> float:
        """The pause before the next refresh: the interval, doubling with each failure in a
        row up to a minute (or the interval, if that is longer)."""
        if not self._failures:
            return self.interval
        return min(self.interval * 2.0**self._failures, max(MAX_BACKOFF, self.interval))

    async def refresh(self) -> FeedUpdate | FeedFailure:
        """Ask once; never raises for a failed or odd answer (it comes back as a
        :class:`FeedFailure`, the last data kept)."""
        early, self._first_answer = self._first_answer, None
        try:
            bridges = await (early or self.client.bridges())
            version = await self._version()
        except BeeperError as exc:
            return self._failed(exc.message)
        except Exception as exc:  # never a traceback: say what broke, keep polling
            return self._failed(f"Unexpected problem: {type(exc).__name__}: {exc}")
        rows = rows_from_bridges(bridges, self.target)
        first_load = not self._loaded
        changes = [] if first_load else status_changes(self._rows, rows)
        self._rows, self._bridges = rows, list(bridges)
        self._by_id = {row.key: row for row in rows}
        self._failures, self._loaded = 0, True
        return FeedUpdate(rows, self._bridges, version, first_load, changes)

    async def _version(self) -> str | None:
        """The version header of the last answer; without one, ``/v1/info`` asked once (on
        the first load; a failure there is no failure of the refresh)."""
        version = self.client.server_version or self._info_version
        if version is None and not self._loaded:
            try:
                version = self._info_version = (await self.client.info()).app.version
            except Exception:  # the version is a nicety: no answer is no version
                return None
        return version

    def _failed(self, message: str) -> FeedFailure:
        self._failures += 1
        return FeedFailure(message, self.retry_delay(), self._loaded, self.target)


class TargetFeeds:
    """Every Beeper Desktop's feed and the one list they make together. With one target it
    answers exactly as that target's :class:`AccountsFeed` does."""

    def __init__(self, feeds: Sequence[AccountsFeed]) -> None:
        self.feeds: dict[str | None, AccountsFeed] = {feed.target: feed for feed in feeds}
        self.failing: dict[str | None, FeedFailure] = {}
        """The targets whose last refresh failed, with how."""
        self._rows: list[AccountRow] = []
        self._by_id: dict[str, AccountRow] = {}

    @property
    def several(self) -> bool:
        """More than one Beeper Desktop: rows name their target."""
        return len(self.feeds) > 1

    @property
    def rows(self) -> Sequence[AccountRow]:
        """Every target's accounts of its last good answer, attention first."""
        return self._rows

    @property
    def by_id(self) -> Mapping[str, AccountRow]:
        """Every listed account by :attr:`AccountRow.key`."""
        return self._by_id

    @property
    def loaded(self) -> bool:
        """True once any target's refresh has worked."""
        return any(feed.loaded for feed in self.feeds.values())

    @property
    def first(self) -> AccountsFeed:
        """The first target's feed (the only one, with one Beeper Desktop)."""
        return next(iter(self.feeds.values()))

    @property
    def bridges(self) -> Sequence[Bridge]:
        """The first target's bridges (see :meth:`bridges_of`)."""
        return self.first.bridges

    def bridges_of(self, target: str | None) -> Sequence[Bridge]:
        """One target's bridges, as its Beeper Desktop listed them."""
        feed = self.feeds.get(target)
        return feed.bridges if feed is not None else ()

    def feed_of(self, row: AccountRow) -> AccountsFeed:
        """The feed (and so the client) of the Beeper Desktop a row is on."""
        return self.feeds.get(row.target) or self.first

    def row(self, key: str) -> AccountRow | None:
        """The account with this :attr:`AccountRow.key`, if listed."""
        return self._by_id.get(key)

    def bridge(self, bridge_key: str) -> Bridge | None:
        """The bridge with this :attr:`AccountRow.bridge_key` (its ID, with one target)."""
        target, bridge_id = split_key(bridge_key) if self.several else (None, bridge_key)
        feed = self.feeds.get(target) if self.several else self.first
        return feed.bridge(bridge_id) if feed is not None else None

    def retry_delay(self, target: str | None) -> float:
        return self.feeds[target].retry_delay()

    async def refresh(self, target: str | None) -> FeedUpdate | FeedFailure:
        """Ask one target once. An update carries the whole list (every target's rows) and
        that target's bridges, version and changes; a failure keeps every row."""
        answer = await self.feeds[target].refresh()
        if isinstance(answer, FeedFailure):
            self.failing[target] = answer
            return answer
        self.failing.pop(target, None)
        if not self.several:
            self._rows, self._by_id = list(answer.rows), dict(self.first.by_id)
            return answer
        self._rows = sorted((r for f in self.feeds.values() for r in f.rows), key=sort_key)
        self._by_id = {row.key: row for row in self._rows}
        return replace(answer, rows=self._rows)

    @property
    def stale_targets(self) -> frozenset[str | None]:
        """The targets failing now whose rows are still shown (from an earlier answer)."""
        return frozenset(t for t, failure in self.failing.items() if failure.had_data)
