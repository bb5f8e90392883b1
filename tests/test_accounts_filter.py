"""`/` filters the accounts by any text they show, as you type; Esc clears it."""

from __future__ import annotations

import pytest
from textual import events

from beeper_tui.sim import build_demo_world
from tests.support import (
    demo_app,
    footer_labels,
    loaded,
    poll,
    polls_on_demand,
    shown_text,
    wait_for,
)


async def test_filter_narrows_as_you_type_and_escape_clears() -> None:
    world = build_demo_world()
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        total = len(screen.table.all_rows)
        await pilot.press("slash")
        assert screen.filter_input.has_focus
        await pilot.press("s", "l", "a")
        shown = screen.table.shown_rows
        assert {row.network for row in shown} == {"Slack"}
        assert len(shown) == 3
        assert f"showing 3 of {total}" in shown_text(screen.header, 200)
        await pilot.press("escape")
        assert len(screen.table.shown_rows) == total
        assert screen.table.has_focus
        assert not screen.filter_input.has_class("-open")


async def test_keys_that_arrive_in_one_burst_after_the_slash_go_into_the_box() -> None:
    """A terminal (or an SSH connection) hands over keys typed fast, or pasted, all at once:
    none of them may reach the list, where ``a`` would open the add picker."""
    async with demo_app(build_demo_world()).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        for key, char in [("slash", "/"), *((c, c) for c in "slack")]:
            pilot.app.post_message(events.Key(key, char))
        await wait_for(pilot, lambda: screen.filter_input.value == "slack", what="the box")
        await pilot.pause()
        assert pilot.app.screen is screen and screen.filter_input.has_focus
        assert {row.network for row in screen.table.shown_rows} == {"Slack"}

        await pilot.press("slash")  # in the box, "/" is a character like any other
        assert screen.filter_input.value == "slack/"


async def test_filter_matches_status_words_ids_and_every_term() -> None:
    world = build_demo_world()
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        table = screen.table
        table.set_filter("needs attention")
        assert table.shown_rows and all(
            r.health.value == "needs attention" for r in table.shown_rows
        )
        table.set_filter("528914776")  # an ID
        assert [r.person for r in table.shown_rows] == ["Dmitri Volkov 🚀"]
        table.set_filter("telegram connecting")  # every term must match
        assert [r.person for r in table.shown_rows] == ["Ana Souza"]
        table.set_filter("self-hosted nobody")
        assert table.shown_rows == []
        await pilot.pause()
        assert "No account matches" in table.render_line(1).text


async def test_enter_keeps_the_filter_and_the_cursor_stays_on_its_account(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    waits = polls_on_demand(monkeypatch)
    world = build_demo_world()
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("slash", *"whatsapp", "enter")
        assert screen.table.has_focus
        assert len(screen.table.shown_rows) == 3
        await pilot.press("j")
        chosen = screen.table.current_row
        assert chosen is not None
        await poll(pilot, waits)
        assert screen.table.current_row is not None
        assert screen.table.current_row.account_id == chosen.account_id
        assert screen.table.filter_query == "whatsapp"
        # clearing the filter keeps the cursor on the same account
        await pilot.press("escape")
        assert screen.table.current_row.account_id == chosen.account_id


async def test_while_typing_the_footer_says_how_to_keep_or_clear_the_filter() -> None:
    async with demo_app(build_demo_world()).run_test(size=(160, 40)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("slash", "t", "e")
        await wait_for(pilot, lambda: {"Keep filter", "Clear filter"} <= footer_labels(screen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Keep filter" not in footer_labels(screen))
        assert not screen.table.filter_query
