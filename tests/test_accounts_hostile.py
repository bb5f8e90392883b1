"""The accounts screen under odd answers and hasty keys: two bridges with one ID, a key pressed
right after ``q``, lone surrogates in IDs — each handled without a traceback."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events

from beeper_tui.sim import build_demo_world
from beeper_tui.tui.accounts.account_detail import AccountDetail
from beeper_tui.tui.login.screen import LoginWizardScreen
from tests.support import (
    bridges_requests,
    demo_app,
    heard,
    loaded,
    rewritten_app,
    screen_of,
    shown_text,
    wait_for,
)

#: A lone surrogate is valid JSON ("\ud800"); the server sends one in place of these IDs.
ODD_ACCOUNT = {b'"slackgo.T03OSC00002-U04JRIVERA9"': b'"\\ud800-osc"'}
ODD_BRIDGE = {b'"slackgo"': b'"slack-\\ud800"'}


async def test_two_bridges_with_the_same_id_are_both_listed() -> None:
    world = build_demo_world()
    listed = world.list_bridges

    def twice_telegram() -> list[dict[str, Any]]:
        bridges = listed()
        return [*bridges, next(b for b in bridges if b["id"] == "telegram")]

    world.list_bridges = twice_telegram  # type: ignore[method-assign]
    app = demo_app(world)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        table = screen.bridge_table
        assert table.row_count == len(world.bridges) + 1
        await pilot.press("g")  # a refresh with the same odd list draws again
        await wait_for(pilot, lambda: bridges_requests(world) == 2)
        await pilot.pause()
        assert table.row_count == len(world.bridges) + 1
        await pilot.press("b")
        await wait_for(pilot, lambda: table.has_focus)
        rows = [i for i, b in enumerate(table.bridges) if b.id == "telegram"]
        assert len(rows) == 2
        table.move_cursor(row=rows[1])  # the second of the two
        await pilot.press("a")
        wizard = await screen_of(pilot, LoginWizardScreen)
        assert wizard.login_target.bridge_id == "telegram"
    assert app.return_code != 1, "no crash (one would also make run_test raise)"


@pytest.mark.parametrize("key", ["r", "a", "question_mark", "d", "R", "g"])
async def test_a_key_pressed_right_after_q_does_nothing(key: str) -> None:
    app = demo_app(build_demo_world())
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        # both keys queued before either is handled, as when typed fast in a terminal
        app.post_message(events.Key("q", "q"))
        app.post_message(events.Key(key, "?" if key == "question_mark" else key))
        await pilot.pause()
    assert app.return_code == 0


async def test_copying_an_account_id_with_a_lone_surrogate_says_why_not() -> None:
    app = rewritten_app(build_demo_world(), ODD_ACCOUNT)
    said = heard(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        odd = "\ud800-osc"
        assert screen.table.select(odd)
        await pilot.press("c")
        await wait_for(pilot, lambda: any(n.startswith("Not copied") for n in said))
        assert pilot.app.clipboard != odd
        note = next(n for n in said if n.startswith("Not copied"))
        assert "\ud800" not in note
        await pilot.press("q")
    assert app.return_code == 0


async def test_a_bridge_id_with_a_lone_surrogate_shows_its_accounts_login_problem() -> None:
    app = rewritten_app(build_demo_world(), ODD_BRIDGE)
    said = heard(app)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await loaded(pilot)
        odd = next(r for r in screen.table.all_rows if r.bridge_id == "slack-\ud800")
        assert odd.login_id
        assert screen.table.select(odd.account_id)
        detail = screen.query_one(AccountDetail).query_one("#detail-body")
        await wait_for(pilot, lambda: odd.account_id in shown_text(detail, 200)
                       and "Loading…" not in shown_text(detail, 200))  # fmt: skip
        assert "Couldn't load the login" in shown_text(detail, 200)
        await pilot.press("d")  # removing needs the same login: said, not raised
        await wait_for(pilot, lambda: any("Couldn't load the login" in n for n in said))
        await pilot.press("q")
    assert app.return_code == 0


async def test_a_login_that_fails_to_load_in_an_unforeseen_way_is_said_in_the_pane() -> None:
    app = demo_app(build_demo_world())

    async def unencodable(bridge_id: str) -> Any:
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    app.client.logins = unencodable  # type: ignore[method-assign]
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await loaded(pilot)
        detail = screen.query_one(AccountDetail).query_one("#detail-body")
        await wait_for(pilot, lambda: "Couldn't load the login" in shown_text(detail, 200))
        assert "UnicodeEncodeError" in shown_text(detail, 200)
        await pilot.press("q")
    assert app.return_code == 0
