"""Which account changes deserve a notification: into needs-attention, and back to ok.

:class:`BreakageTracker` is fed each poll's health per account and answers with the
transitions worth telling a person about — one when an account goes into needs-attention and
one when it is ok again, never more for the same breakage:

- the first snapshot only sets the scene (nothing is news at start-up);
- a failed poll is not fed: after an outage the accounts are compared with the last state
  known before it, so Beeper Desktop coming back is not a storm of "broken"/"back";
- an account that stays broken (even through "connecting…" and back to broken) is told once;
  it is back only when it is ok again;
- an account turned off is no longer broken, without a word; one that goes away is not told
  about either, and if it reappears still broken, that is no news.

It also knows since when each account has been broken (``watch --json``'s ``brokenSince``).
Headless, and its clock is injectable for tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from beeper_tui.api.models import Health


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Breakage:
    """One transition worth telling: ``broke`` into needs-attention, or back to ok."""

    account_id: str
    broke: bool
    """True: the account went into needs-attention; False: it is ok again."""
    since: datetime
    """When the account broke (for a "back" transition too: how long it was broken)."""
    at: datetime
    """When the transition was seen."""

    @property
    def broken_for(self) -> float:
        """Seconds the account has been (or was) broken."""
        return max(0.0, (self.at - self.since).total_seconds())


class BreakageTracker:
    """Poll after poll, the transitions into and out of needs-attention (see the module)."""

    def __init__(self, clock: Callable[[], datetime] = utc_now) -> None:
        self._clock = clock
        self._started = False
        self._broken_since: dict[str, datetime] = {}
        self._vanished: dict[str, datetime] = {}
        """Broken accounts missing from the last answers, with since when they were broken:
        one that comes back still broken (a server listing nothing while it restarts) is no
        news."""

    @property
    def started(self) -> bool:
        """Whether a first snapshot has been seen."""
        return self._started

    def broken_since(self, account_id: str) -> datetime | None:
        """When ``account_id`` went into needs-attention, or None when it is not broken. An
        account broken in the first snapshot counts from that snapshot."""
        return self._broken_since.get(account_id)

    def update(self, health: Mapping[str, Health]) -> list[Breakage]:
        """This poll's health per account ID; the transitions worth telling, in input order.
        A poll that failed is simply not fed: the state before the outage stays the one the
        next answer is compared with."""
        now = self._clock()
        first = not self._started
        told: list[Breakage] = []
        for account_id, state in health.items():
            since = self._broken_since.get(account_id) or self._vanished.pop(account_id, None)
            if since is not None:
                self._broken_since[account_id] = since
            if state is Health.ATTENTION:
                if since is None:
                    self._broken_since[account_id] = now
                    if not first:
                        told.append(Breakage(account_id, True, now, now))
            elif since is not None and state is Health.OK:
                del self._broken_since[account_id]
                told.append(Breakage(account_id, False, since, now))
            elif since is not None and state is Health.OFF:
                del self._broken_since[account_id]  # turned off: not broken, not back either
        for gone in [a for a in self._broken_since if a not in health]:
            self._vanished[gone] = self._broken_since.pop(gone)
        self._started = True
        return told


def broken_time(
    tracker: BreakageTracker, account_id: str, changes: Sequence[Breakage], now: datetime
) -> dict[str, Any]:
    """``brokenSince`` (ISO 8601, UTC) and ``brokenFor`` (whole seconds) for one ``watch``
    record: since when the account has been broken — or, the poll it came back, how long it
    was; both None for an account that is not broken."""
    since = tracker.broken_since(account_id)
    until = now
    if since is None:
        back = next((c for c in changes if c.account_id == account_id and not c.broke), None)
        if back is None:
            return {"brokenSince": None, "brokenFor": None}
        since, until = back.since, back.at
    return {
        "brokenSince": since.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "brokenFor": max(0, int((until - since).total_seconds())),
    }
