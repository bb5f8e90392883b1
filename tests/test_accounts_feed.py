"""The accounts feed, without an app: one ``GET /v1/bridges`` per refresh (the first one the
app's early answer), rows by account ID, the status changes between two answers, failures
backing off and the last data kept, the server's version."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

from beeper_tui.api.client import BeeperClient
from beeper_tui.sim import World, create_app, sim_transport
from beeper_tui.tui.accounts.feed import MAX_BACKOFF, AccountsFeed, FeedFailure, FeedUpdate
from tests.support import SIM_BASE_URL, RewritingTransport, bridges_requests

SLACK_ACME = "slackgo.T01ACME0001-U02JAMIE001"


async def updated(feed: AccountsFeed) -> FeedUpdate:
    answer = await feed.refresh()
    assert isinstance(answer, FeedUpdate), answer
    return answer


async def failed(feed: AccountsFeed) -> FeedFailure:
    answer = await feed.refresh()
    assert isinstance(answer, FeedFailure), answer
    return answer


async def test_each_refresh_is_one_bridges_request_and_fills_the_rows(
    world: World, client: BeeperClient
) -> None:
    feed = AccountsFeed(client, interval=10)
    assert not feed.loaded and feed.rows == [] and feed.row(SLACK_ACME) is None
    first = await updated(feed)
    assert first.first_load and first.changes == []
    assert bridges_requests(world) == 1
    assert len(feed.rows) == len(world.accounts) == len(first.rows)
    ranks = [row.health.rank for row in feed.rows]
    assert ranks == sorted(ranks), "attention first"
    assert feed.row(SLACK_ACME) is feed.by_id[SLACK_ACME]
    assert feed.row(SLACK_ACME).bridge_id == "slackgo"
    assert {b.id for b in feed.bridges} == set(world.bridges)
    assert feed.bridge("slackgo") is not None and feed.bridge("nope") is None
    second = await updated(feed)
    assert not second.first_load
    assert bridges_requests(world) == 2


async def test_the_first_refresh_uses_the_answer_already_on_its_way(
    world: World, client: BeeperClient
) -> None:
    early = asyncio.ensure_future(client.bridges())
    await early
    world.requests.clear()
    feed = AccountsFeed(client, interval=10, first_answer=early)
    first = await updated(feed)
    assert first.rows and bridges_requests(world) == 0, "no second request at launch"
    await updated(feed)
    assert bridges_requests(world) == 1, "later refreshes ask again"


async def test_status_changes_between_two_answers_and_which_broke(
    world: World, client: BeeperClient
) -> None:
    feed = AccountsFeed(client, interval=10)
    await updated(feed)
    world.set_account_status(SLACK_ACME, "reconnect_required", "Token expired")
    world.set_account_status("twitter_1456789012345678901", "disconnected")
    calm = next(a for a, acc in world.accounts.items() if acc.status == "reconnect_required")
    world.set_account_status(calm, "connected")
    update = await updated(feed)
    changed = {c.row.account_id: c.old_status for c in update.changes}
    assert changed[SLACK_ACME] == "connected"
    assert calm in changed and len(changed) == 3
    assert [row.account_id for row in update.broken] == sorted(
        [SLACK_ACME, "twitter_1456789012345678901"],
        key=lambda a: [r.account_id for r in update.rows].index(a),
    )
    assert feed.row(SLACK_ACME).status == "reconnect_required"
    assert (await updated(feed)).changes == [], "nothing changed since"


async def test_failures_back_off_keep_the_last_data_and_reset_when_it_answers(
    world: World, client: BeeperClient
) -> None:
    feed = AccountsFeed(client, interval=10)
    assert feed.retry_delay() == 10
    await updated(feed)
    rows = feed.rows
    world.faults.add("status", path="/v1/bridges", status=500, times=None)
    delays = [(await failed(feed)).retry_in for _ in range(4)]
    assert delays == [20, 40, MAX_BACKOFF, MAX_BACKOFF]
    assert feed.failures == 4 and feed.retry_delay() == MAX_BACKOFF
    failure = await failed(feed)
    assert failure.had_data and "internal error" in failure.message
    assert feed.rows is rows, "the last data stays"
    world.faults.clear()
    await updated(feed)
    assert feed.failures == 0 and feed.retry_delay() == 10


async def test_a_first_load_that_fails_says_so_and_has_no_data(
    world: World, client: BeeperClient
) -> None:
    world.faults.add("unauthorized", path="/v1/bridges", times=1)
    feed = AccountsFeed(client, interval=0.5)
    failure = await failed(feed)
    assert not failure.had_data and "refused the access token" in failure.message
    assert failure.retry_in == 1.0
    assert (await updated(feed)).first_load, "the first answer that works is the first load"


async def test_a_long_interval_is_never_shortened_by_the_backoff_cap(
    world: World, client: BeeperClient
) -> None:
    world.faults.add("status", path="/v1/bridges", status=503, times=None)
    client.backoff = 0.001  # the client's own retries of the 503 come at once
    feed = AccountsFeed(client, interval=120)
    assert (await failed(feed)).retry_in == 120


async def test_an_unexpected_failure_comes_back_as_a_failure(client: BeeperClient) -> None:
    async def broken() -> Any:
        raise RuntimeError("something odd")

    client.bridges = broken  # type: ignore[method-assign]
    failure = await failed(AccountsFeed(client, interval=10))
    assert failure.message == "Unexpected problem: RuntimeError: something odd"


async def test_the_version_comes_from_the_header(world: World, client: BeeperClient) -> None:
    update = await updated(AccountsFeed(client, interval=10))
    assert update.version == world.app_version
    assert not [path for _, path in world.requests if path == "/v1/info"]


async def test_without_a_version_header_the_feed_asks_v1_info_once(world: World) -> None:
    transport = RewritingTransport(
        sim_transport(create_app(world)), drop_headers={"x-beeper-desktop-version"}
    )
    async with BeeperClient(SIM_BASE_URL, world.token, transport=transport) as client:
        feed = AccountsFeed(client, interval=10)
        versions = [(await updated(feed)).version for _ in range(3)]
    assert versions == [world.app_version] * 3
    assert [path for _, path in world.requests if path == "/v1/info"] == ["/v1/info"]


def test_the_feed_needs_no_textual() -> None:
    code = "import sys, beeper_tui.tui.accounts.feed; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
