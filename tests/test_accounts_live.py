"""Live health: one request per refresh, changes marked and announced, a vanished server shown
as stale data with its reason, and everything back when it returns."""

from __future__ import annotations

from beeper_tui.sim import build_demo_world
from tests.accounts_pilot import (
    bridges_requests,
    loaded,
    notifications,
    shown_text,
    table_lines,
    wait_for,
)
from tests.tui_support import demo_app

SLACK_ACME = "slackgo.T01ACME0001-U02JAMIE001"


async def test_polls_one_bridges_request_per_refresh_interval() -> None:
    world = build_demo_world()
    async with demo_app(world, refresh=0.1).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        world.requests.clear()
        await pilot.pause(0.65)
        polls = bridges_requests(world)
        assert 2 <= polls <= 8
        others = [r for r in world.requests if r != ("GET", "/v1/bridges")]
        assert all(path.endswith("/logins") for _, path in others)


async def test_a_status_change_shows_at_the_next_refresh_with_a_mark_and_a_notification() -> None:
    world = build_demo_world()
    app = demo_app(world, bell=True)
    rings: list[bool] = []
    app.bell = lambda: rings.append(True)  # type: ignore[method-assign]
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await loaded(pilot)
        world.set_account_status(SLACK_ACME, "reconnect_required", "Token expired: sign in again")
        await pilot.press("g")
        await wait_for(pilot, lambda: screen.table.row_for(SLACK_ACME).status != "connected")
        await pilot.pause()
        said = notifications(pilot.app)
        assert any("Jamie Rivera (Acme Corp)" in m and "Token expired" in m for m in said)
        assert rings == [True]
        assert screen.table.mark_note(SLACK_ACME) == "was connected"
        line = next(x for x in table_lines(screen.table) if "Acme" in x)
        assert line.startswith("● ") and "✖ needs attention" in line


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


async def test_server_going_away_keeps_the_data_marked_stale_and_coming_back_resumes() -> None:
    world = build_demo_world()
    async with demo_app(world, refresh=0.05).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        rows = len(screen.table.all_rows)
        world.faults.add("status", path="/v1/bridges", status=500, times=None)
        await wait_for(pilot, lambda: screen.header.offline)
        header = shown_text(screen.header, 200)
        assert "offline" in header and "Beeper Desktop had an internal error" in header
        assert "stale" in header and "retrying in" in header
        assert len(screen.table.all_rows) == rows
        assert screen.table.has_class("-stale")
        assert "Traceback" not in header
        # it backs off: far fewer requests than one per 50 ms
        world.requests.clear()
        await pilot.pause(0.8)
        assert bridges_requests(world) <= 5
        world.faults.clear()
        await pilot.press("g")
        await wait_for(pilot, lambda: not screen.header.offline)
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
        screen = pilot.app.screen
        await wait_for(pilot, lambda: getattr(screen, "header", None) and screen.header.offline)
        assert "refused the access token" in shown_text(screen.header, 200)
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
