"""Start-up: the accounts are asked for once, while Textual is still starting, and the footer
shows the keys of the view in front of it."""

from __future__ import annotations

import pytest

from beeper_tui.sim import build_demo_world
from beeper_tui.tui.accounts.screen import AccountsScreen
from beeper_tui.tui.login.screen import LoginWizardScreen
from tests.support import (
    bridges_requests,
    demo_app,
    footer_labels,
    loaded,
    polls_on_demand,
    screen_of,
    wait_for,
    wizard_app,
)


async def test_launch_asks_for_the_accounts_exactly_once(monkeypatch: pytest.MonkeyPatch) -> None:
    waits = polls_on_demand(monkeypatch)
    world = build_demo_world()
    async with demo_app(world, refresh=30).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await wait_for(pilot, lambda: waits)  # the first refresh is over: the poll waits
        assert screen.table.all_rows
        assert bridges_requests(world) == 1


async def test_quitting_while_the_first_answer_is_on_its_way_is_clean() -> None:
    world = build_demo_world()
    world.faults.add("latency", path="/v1/bridges", delay=2.0, times=1)
    app = demo_app(world, refresh=30)
    async with app.run_test(size=(120, 40)) as pilot:
        await screen_of(pilot, AccountsScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_login_command_does_not_ask_for_the_accounts_list() -> None:
    world = build_demo_world(autoscan=None)
    async with wizard_app(world, "signal").run_test(size=(120, 40)) as pilot:
        await screen_of(pilot, LoginWizardScreen)
        await wait_for(pilot, lambda: ("GET", "/v1/bridges/signal") in world.requests)
        await pilot.pause()
        assert bridges_requests(world) == 0  # the wizard reads its one bridge, never the list


async def test_footer_follows_the_view_in_front() -> None:
    world = build_demo_world()
    async with demo_app(world).run_test(size=(160, 40)) as pilot:
        screen = await loaded(pilot)
        on_accounts = footer_labels(screen)
        assert {"Reconnect", "Filter", "Bridges"} <= on_accounts
        assert "Accounts" not in on_accounts
        await pilot.press("b")
        await wait_for(pilot, lambda: "Accounts" in footer_labels(screen))
        on_bridges = footer_labels(screen)
        assert not on_bridges & {"Reconnect", "Filter", "Bridges"}
        await pilot.press("b")
        await wait_for(pilot, lambda: footer_labels(screen) == on_accounts)
