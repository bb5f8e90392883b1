"""The home screen's list: attention first, health in glyph and word, names shown as typed."""

from __future__ import annotations

import pytest

from beeper_tui.api.models import Health
from beeper_tui.sim import build_demo_world
from beeper_tui.tui.accounts.account_rows import AccountRow
from tests.support import (
    bridges_requests,
    demo_app,
    loaded,
    logins_requests,
    poll,
    polls_on_demand,
    shown_text,
    table_lines,
    wait_for,
)


async def test_accounts_sorted_attention_first_then_working_connected_disabled() -> None:
    world = build_demo_world()
    world.set_account_status("telegram_528914776", "some_new_status", "From a newer server")
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        healths = [row.health for row in screen.table.all_rows]
        assert len(healths) == len(world.accounts)
        ranks = [h.rank for h in healths]
        assert ranks == sorted(ranks)
        assert healths[0] is Health.ATTENTION
        assert healths[-1] is Health.OFF
        # an unknown status sorts right after the ones needing attention
        first_non_attention = next(h for h in healths if h is not Health.ATTENTION)
        assert first_non_attention is Health.UNKNOWN
        lines = table_lines(screen.table)
        assert "? unknown" in "\n".join(lines)


async def test_row_shows_health_glyph_and_word_network_person_status_and_where_it_runs() -> None:
    world = build_demo_world()
    async with demo_app(world).run_test(size=(140, 40)) as pilot:
        screen = await loaded(pilot)
        line = next(x for x in table_lines(screen.table) if "Priya Sharma" in x)
        assert "✖ needs attention" in line
        assert "Google Messages" in line
        assert "Can't reach" in line
        assert line.rstrip().endswith("local")
        off = next(x for x in table_lines(screen.table) if "Jordan Smith" in x)
        assert "– off" in off and "cloud" in off
        kim = next(x for x in table_lines(screen.table) if "Kim Park" in x)
        assert "platform" in kim


async def test_names_are_data_markup_control_characters_and_huge_names_stay_in_their_cell() -> None:
    world = build_demo_world()
    world.accounts["discordgo"].user["fullName"] = "Z" * 10_000
    world.accounts["twitter_1456789012345678901"].user["fullName"] = "Evil\x1b[31mRed\nName"
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        lines = table_lines(screen.table)
        width = screen.table.scrollable_content_region.width
        assert all(len(line) <= width for line in lines)
        assert any("[bold]Work[/bold" in line for line in lines), "markup must show as typed"
        huge = next(line for line in lines if "ZZZZ" in line)
        assert "Z…" in huge and huge.rstrip().endswith("cloud")
        evil = next(line for line in lines if "Evil" in line)
        assert "\x1b" not in evil and "␛[31mRed Name" in evil
        # the detail pane shows it escaped too
        screen.table.select("twitter_1456789012345678901")
        await pilot.pause()
        detail = shown_text(screen.query_one("#detail-body"))
        assert "\x1b" not in detail


async def test_no_accounts_invites_to_add_one() -> None:
    world = build_demo_world()
    world.accounts.clear()
    world.logins.clear()
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        empty = screen.query_one("#accounts-empty")
        assert empty.display and not screen.table.display
        assert "No accounts yet" in shown_text(empty)
        assert "press a to add one" in shown_text(screen.header, 200)


async def test_all_fine_says_all_accounts_connected() -> None:
    world = build_demo_world()
    for account_id in world.accounts:
        world.set_account_status(account_id, "connected")
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        assert f"All {len(world.accounts)} accounts connected" in shown_text(screen.header, 200)


async def test_header_shows_version_base_url_and_freshness() -> None:
    world = build_demo_world()
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        header = shown_text(screen.header, 200)
        assert world.app_version in header
        assert "embedded demo" in header
        assert "online" in header and "updated just now" in header


async def test_detail_pane_shows_every_field_and_the_other_accounts_on_the_login() -> None:
    world = build_demo_world()
    async with demo_app(world).run_test(size=(140, 40)) as pilot:
        screen = await loaded(pilot)
        assert screen.table.select("slackgo.T03OSC00002-U04JRIVERA9")
        detail = screen.query_one("#detail-body")
        await wait_for(pilot, lambda: "Also on this login" in shown_text(detail))
        text = shown_text(detail, 200)
        for value in (
            "slackgo.T03OSC00002-U04JRIVERA9",
            "T01ACME0001-U02JAMIE001",
            "slackgo",
            "cloud",
            "jrivera",
            "Slack needs you to accept",
        ):
            assert value in text
        assert "Jamie Rivera (Acme Corp)" in text
        assert "all devices" in text


async def test_logins_load_lazily_for_the_selection_and_once_per_refresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    waits = polls_on_demand(monkeypatch)
    world = build_demo_world()
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        detail = screen.query_one("#detail-body")
        first, second = screen.table.all_rows[:2]
        await wait_for(pilot, lambda: logins_requests(world) == 1)

        def login_shown(row: AccountRow) -> bool:
            text = shown_text(detail, 200)
            return row.account_id in text and "Loading…" not in text

        await wait_for(pilot, lambda: login_shown(first))
        await pilot.press("j")
        await wait_for(pilot, lambda: login_shown(second))
        await pilot.press("k")  # back to the first bridge: cached
        await wait_for(pilot, lambda: login_shown(first))
        count = logins_requests(world)
        assert count == len({first.bridge_id, second.bridge_id}), "one request per bridge"
        await poll(pilot, waits)
        await pilot.pause()
        # a refresh that changed nothing asks for nothing more than the bridges
        assert bridges_requests(world) == 2
        assert logins_requests(world) == count
        assert login_shown(first)
        assert screen.table.cursor == 0


async def test_q_quits_from_the_list() -> None:
    app = demo_app(build_demo_world())
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running)
