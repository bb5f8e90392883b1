"""Live health: one request per refresh, changes marked and announced, a vanished server shown
as stale data with its reason, and everything back when it returns."""

from __future__ import annotations

import pytest

from beeper_tui.sim import build_demo_world
from beeper_tui.tui.accounts.screen import AccountsScreen
from tests.support import (
    bridges_requests,
    demo_app,
    heard,
    loaded,
    poll,
    polls_on_demand,
    screen_of,
    shown_text,
    table_lines,
    wait_for,
)

SLACK_ACME = "slackgo.T01ACME0001-U02JAMIE001"


async def test_the_list_refreshes_by_itself_every_refresh_interval() -> None:
    world = build_demo_world()
    async with demo_app(world, refresh=0.05).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        world.requests.clear()
        await wait_for(pilot, lambda: bridges_requests(world) >= 3)
        others = [r for r in world.requests if r != ("GET", "/v1/bridges")]
        assert all(path.endswith("/logins") for _, path in others)


async def test_each_refresh_is_one_bridges_request_then_a_wait_of_the_interval(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    waits = polls_on_demand(monkeypatch)
    world = build_demo_world()
    async with demo_app(world, refresh=0.1).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await wait_for(pilot, lambda: waits)
        world.requests.clear()
        for _ in range(3):
            await poll(pilot, waits)
        assert bridges_requests(world) == 3
        assert waits == [0.1] * 4
        others = [r for r in world.requests if r != ("GET", "/v1/bridges")]
        assert all(path.endswith("/logins") for _, path in others)


async def test_a_status_change_shows_at_the_next_refresh_with_a_mark_and_a_notification() -> None:
    world = build_demo_world()
    app = demo_app(world, bell=True)
    said = heard(app)
    rings: list[bool] = []
    app.bell = lambda: rings.append(True)  # type: ignore[method-assign]
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await loaded(pilot)
        world.set_account_status(SLACK_ACME, "reconnect_required", "Token expired: sign in again")
        await pilot.press("g")
        await wait_for(pilot, lambda: screen.table.row_for(SLACK_ACME).status != "connected")
        await pilot.pause()
        assert any("Jamie Rivera (Acme Corp)" in m and "Token expired" in m for m in said)
        assert rings == [True]
        assert screen.table.mark_note(SLACK_ACME) == "was connected"
        line = next(x for x in table_lines(screen.table) if "Acme" in x)
        assert line.startswith("● ") and "✖ needs attention" in line


async def test_many_accounts_breaking_at_once_get_one_notification() -> None:
    world = build_demo_world()
    app = demo_app(world)
    said = heard(app)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await loaded(pilot)
        fine = [r.account_id for r in screen.table.all_rows if r.status == "connected"][:4]
        for account_id in fine:
            world.set_account_status(account_id, "reconnect_required")
        await pilot.press("g")
        await wait_for(pilot, lambda: any("4 accounts need attention" in m for m in said))
        assert not [m for m in said if m.startswith("Needs attention:")]


async def test_cursor_stays_on_its_account_when_the_order_changes() -> None:
    world = build_demo_world()
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        screen.table.select(SLACK_ACME)
        position = screen.table.cursor
        # another account breaks and sorts above: the cursor must follow Acme, not the index
        world.set_account_status("twitter_1456789012345678901", "disconnected")
        await pilot.press("g")
        await wait_for(pilot, lambda: screen.table.row_for("twitter_1456789012345678901").status
                       == "disconnected")  # fmt: skip
        assert screen.table.current_row.account_id == SLACK_ACME
        assert screen.table.cursor == position + 1


async def test_server_going_away_keeps_the_data_marked_stale_and_coming_back_resumes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    waits = polls_on_demand(monkeypatch)
    world = build_demo_world()
    async with demo_app(world, refresh=0.05).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await wait_for(pilot, lambda: waits)
        rows = len(screen.table.all_rows)
        world.faults.add("status", path="/v1/bridges", status=500, times=None)
        world.requests.clear()
        for _ in range(3):
            await poll(pilot, waits)
        assert screen.header.offline
        header = shown_text(screen.header, 200)
        assert "offline" in header and "Beeper Desktop had an internal error" in header
        assert "stale" in header and "retrying in" in header
        assert len(screen.table.all_rows) == rows
        assert screen.table.has_class("-stale")
        assert "Traceback" not in header
        # it backs off: each failure in a row doubles the pause, one request each
        assert waits == [0.05, 0.1, 0.2, 0.4]
        assert bridges_requests(world) == 3
        world.faults.clear()
        await poll(pilot, waits)
        assert not screen.header.offline
        assert waits[-1] == 0.05, "back to the refresh interval"
        assert not screen.table.has_class("-stale")
        assert "online" in shown_text(screen.header, 200)


async def test_a_dropped_connection_says_so_and_recovers() -> None:
    world = build_demo_world()
    async with demo_app(world, refresh=30).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        world.faults.add("drop", path="/v1/bridges", times=None)
        await pilot.press("g")
        await wait_for(pilot, lambda: screen.header.offline, timeout=8)
        assert "dropped" in shown_text(screen.header, 200)
        world.faults.clear()
        await pilot.press("g")
        await wait_for(pilot, lambda: not screen.header.offline, timeout=8)


async def test_first_load_failing_says_why_and_loads_when_the_server_answers() -> None:
    world = build_demo_world()
    world.faults.add("unauthorized", path="/v1/bridges", times=1)
    async with demo_app(world, refresh=30).run_test(size=(120, 40)) as pilot:
        screen = await screen_of(pilot, AccountsScreen)
        await wait_for(pilot, lambda: screen.header.offline)
        assert "refused the access token" in shown_text(screen.header, 200)
        assert not screen.table.has_class("-stale"), "no data yet, so none is stale"
        await pilot.press("g")
        await wait_for(pilot, lambda: screen.table.all_rows)
        assert not screen.header.offline


async def test_an_unexpected_failure_is_shown_not_raised() -> None:
    world = build_demo_world()
    app = demo_app(world, refresh=30)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)

        async def broken() -> None:
            raise RuntimeError("something odd")

        app.client.bridges = broken  # type: ignore[method-assign]
        await pilot.press("g")
        await wait_for(pilot, lambda: screen.header.offline)
        assert "Unexpected problem: RuntimeError: something odd" in shown_text(screen.header, 200)
        assert screen.table.all_rows, "the last data stays"
