"""Which Beeper Desktop an account is on, and a feed for each one.

With one Beeper Desktop every answer here is that one. With several (the config file's
``[targets.NAME]``) each account's row names its target, and an action on an account goes to
the client of that target. The app's targets are read each time, never kept: the sign-in
screens may replace the first one's connection.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import TYPE_CHECKING

from beeper_tui.api.models import Bridge
from beeper_tui.tui.accounts.account_rows import AccountRow
from beeper_tui.tui.accounts.feed import AccountsFeed, TargetFeeds

if TYPE_CHECKING:
    from beeper_tui.tui.app import DesktopTarget


def target_named(targets: Sequence[DesktopTarget], name: str | None) -> DesktopTarget:
    """The target called ``name`` (the first, when none is)."""
    return next((t for t in targets if t.name == name), targets[0])


def target_of(targets: Sequence[DesktopTarget], row: AccountRow | None) -> DesktopTarget:
    """The Beeper Desktop an account is on (the first, with one or for ``None``)."""
    return targets[0] if row is None else target_named(targets, row.target)


def targets_label(targets: Sequence[DesktopTarget]) -> str:
    """The header's "where": the address, or with several targets their names."""
    if len(targets) == 1:
        return targets[0].conn.label
    return f"{len(targets)} Beeper Desktops: " + ", ".join(t.name or "" for t in targets)


def feeds_for(
    targets: Sequence[DesktopTarget],
    *,
    interval: float,
    first_answer: Awaitable[list[Bridge]] | None,
) -> TargetFeeds:
    """A feed per target polling every ``interval`` seconds; the first takes the answer the
    app asked for while starting."""
    return TargetFeeds(
        [
            AccountsFeed(
                target.client,
                interval=interval,
                first_answer=first_answer if index == 0 else None,
                target=target.name,
            )
            for index, target in enumerate(targets)
        ]
    )
