"""``TargetFeeds`` without an app: several Beeper Desktops' feeds joined into one list, each
asked on its own, a failing one keeping its rows (stale) and never emptying the others'."""

from __future__ import annotations

from beeper_tui.connect import connect_demo
from beeper_tui.sim import World, build_demo_world
from beeper_tui.tui.accounts.account_rows import row_key, split_key
from beeper_tui.tui.accounts.feed import AccountsFeed, FeedFailure, FeedUpdate, TargetFeeds

SIGNAL = "local-signal_ba_U2lnbmFsTm9hTGV2aUFjY3Q"


def feeds(**worlds: World) -> TargetFeeds:
    return TargetFeeds(
        [
            AccountsFeed(connect_demo(world, backoff=0.001).client, interval=10.0, target=name)
            for name, world in worlds.items()
        ]
    )


def bridges_asked(world: World) -> int:
    return sum(1 for method, path in world.requests if (method, path) == ("GET", "/v1/bridges"))


async def test_one_list_of_every_target_each_asked_once_per_refresh() -> None:
    home, work = build_demo_world(), build_demo_world()
    joined = feeds(home=home, work=work)
    home_update = await joined.refresh("home")
    assert isinstance(home_update, FeedUpdate)
    assert {row.target for row in home_update.rows} == {"home"}
    work_update = await joined.refresh("work")
    assert isinstance(work_update, FeedUpdate)
    assert len(work_update.rows) == len(home.accounts) + len(work.accounts)
    assert (bridges_asked(home), bridges_asked(work)) == (1, 1)
    assert joined.row(row_key("work", SIGNAL)) is not joined.row(row_key("home", SIGNAL))
    work_signal = next(b for b in joined.bridges_of("work") if b.id == "local-signal")
    assert joined.bridge(row_key("work", "local-signal")) is work_signal


async def test_a_failing_target_keeps_its_rows_and_only_they_are_stale() -> None:
    home, work = build_demo_world(), build_demo_world()
    joined = feeds(home=home, work=work)
    await joined.refresh("home")
    await joined.refresh("work")
    work.faults.add("status", path="/v1/bridges", status=503, times=10)
    failure = await joined.refresh("work")
    assert isinstance(failure, FeedFailure) and failure.target == "work" and failure.had_data
    assert joined.stale_targets == {"work"}
    home.set_account_status(SIGNAL, "reconnect_required", "Signed out")
    update = await joined.refresh("home")
    assert isinstance(update, FeedUpdate)
    assert [c.row.key for c in update.changes] == [row_key("home", SIGNAL)]
    assert len(update.rows) == len(home.accounts) + len(work.accounts)  # work's rows kept
    assert joined.stale_targets == {"work"}


async def test_one_target_answers_as_its_own_feed() -> None:
    world = build_demo_world()
    joined = TargetFeeds([AccountsFeed(connect_demo(world).client, interval=10.0)])
    update = await joined.refresh(None)
    assert isinstance(update, FeedUpdate) and not joined.several
    assert [row.key for row in update.rows] == [row.account_id for row in update.rows]
    assert split_key(SIGNAL) == (None, SIGNAL)
