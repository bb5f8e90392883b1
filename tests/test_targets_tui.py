"""The account manager over several Beeper Desktops: one attention-first list with a Target
column, each target polled on its own, one offline (or refusing its token) marking only its own
rows stale, and reconnect, remove and details acting on the row's own Beeper Desktop.

The last test runs two simulators at once, each on its own loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from textual.widgets import Button

from beeper_tui.api.models import Health
from beeper_tui.config import Settings
from beeper_tui.connect import NamedConnection, connect, connect_demo
from beeper_tui.sim import World, build_demo_world
from beeper_tui.sim.serve import running_server
from beeper_tui.tui.accounts.account_rows import row_key
from beeper_tui.tui.accounts.remove_login import RemoveLoginDialog
from beeper_tui.tui.app import BeeperApp
from beeper_tui.tui.login.leave_dialog import LeaveLoginDialog
from beeper_tui.tui.login.screen import LoginWizardScreen
from tests.support import (
    bridges_requests,
    loaded,
    screen_of,
    screen_text,
    shown_text,
    table_lines,
    wait_for,
)

SIGNAL = "local-signal_ba_U2lnbmFsTm9hTGV2aUFjY3Q"
SLACK_OSC = "slackgo.T03OSC00002-U04JRIVERA9"
SLACK_ACME = "slackgo.T01ACME0001-U02JAMIE001"


@pytest.fixture(autouse=True)
def _quick_wizard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LoginWizardScreen, "DONE_DELAY", 0.05)


def all_connected(world: World, *broken: str) -> World:
    """Every account connected except ``broken``, which need a reconnect."""
    for account_id in world.accounts:
        world.set_account_status(account_id, "connected")
    for account_id in broken:
        world.set_account_status(account_id, "reconnect_required", "Signed out")
    return world


def two_target_app(home: World, work: World, **options: Any) -> BeeperApp:
    return BeeperApp(
        connect_demo(home),
        target_name="home",
        more_targets=[NamedConnection("work", connect_demo(work))],
        **options,
    )


def header_text(screen: Any) -> str:
    return shown_text(screen.header, 200)


async def test_one_list_with_a_target_column_and_a_filter_by_target() -> None:
    home, work = build_demo_world(), all_connected(build_demo_world(), SIGNAL)
    async with two_target_app(home, work).run_test(size=(140, 50)) as pilot:
        screen = await loaded(pilot)
        await wait_for(pilot, lambda: len(screen.table.all_rows) == 2 * len(home.accounts))
        rows = screen.table.all_rows
        assert {row.target for row in rows} == {"home", "work"}
        # attention first across both: work's one broken account among home's broken ones
        broken = [row for row in rows if row.health is Health.ATTENTION]
        assert rows[: len(broken)] == broken and any(row.target == "work" for row in broken)
        lines = table_lines(screen.table)
        assert lines[0].split()[:3] == ["Health", "Target", "Network"]
        assert any(" work " in line and "Signal" in line for line in lines[1:])
        assert "2 Beeper Desktops: home, work" in header_text(screen)

        await pilot.press("slash", *"target:work")
        await wait_for(pilot, lambda: len(screen.table.shown_rows) == len(work.accounts))
        assert {row.target for row in screen.table.shown_rows} == {"work"}


async def test_each_target_is_polled_on_its_own_and_one_offline_stales_only_its_rows() -> None:
    home, work = build_demo_world(), build_demo_world()
    async with two_target_app(home, work).run_test(size=(140, 50)) as pilot:
        screen = await loaded(pilot)
        await wait_for(pilot, lambda: screen.feed.feeds["work"].loaded)
        before = (bridges_requests(home), bridges_requests(work))
        assert before == (1, 1)  # one request per refresh per target

        work.faults.add("status", path="/v1/bridges", status=503, times=1000)
        await pilot.press("g")
        await wait_for(pilot, lambda: screen.feed.stale_targets == {"work"})
        assert len(screen.table.all_rows) == 2 * len(home.accounts)  # nothing blanked
        assert "work:" in header_text(screen)
        stale_style = screen.table.get_component_rich_style("account-table--stale")
        home_row = next(i for i, r in enumerate(screen.table.shown_rows) if r.target == "home")
        work_row = next(i for i, r in enumerate(screen.table.shown_rows) if r.target == "work")
        styles = [
            {segment.style for segment in screen.table.render_line(i + 1)}
            for i in (home_row, work_row)
        ]
        assert not any(stale_style.color == s.color for s in styles[0] if s)  # home: as ever
        assert any(stale_style.color == s.color for s in styles[1] if s)  # work: stale

        work.faults.clear()
        await pilot.press("g")
        await wait_for(pilot, lambda: not screen.feed.stale_targets)
        assert "work:" not in header_text(screen)


async def test_a_target_refusing_its_token_marks_only_its_rows_stale() -> None:
    home, work = build_demo_world(), build_demo_world()
    app = two_target_app(home, work)
    async with app.run_test(size=(140, 50)) as pilot:
        screen = await loaded(pilot)
        await wait_for(pilot, lambda: screen.feed.feeds["work"].loaded)
        app.targets[1].client.set_token("no-longer-good-token-99")
        await pilot.press("g")
        await wait_for(pilot, lambda: screen.feed.stale_targets == {"work"})
        assert len(screen.table.all_rows) == 2 * len(home.accounts)
        assert pilot.app.screen is screen  # the sign-in is about the first target only


async def test_remove_and_details_go_to_the_rows_own_target() -> None:
    home, work = build_demo_world(), build_demo_world()
    async with two_target_app(home, work).run_test(size=(140, 50)) as pilot:
        screen = await loaded(pilot)
        await wait_for(pilot, lambda: screen.feed.feeds["work"].loaded)
        assert screen.table.select(row_key("work", SLACK_OSC))
        slack_logins = ("GET", "/v1/bridges/slackgo/logins")
        await wait_for(pilot, lambda: slack_logins in work.requests)
        assert slack_logins not in home.requests  # home's first row is on another bridge

        await pilot.press("d")
        dialog = await screen_of(pilot, RemoveLoginDialog)
        dialog.query_one("#scope-0", Button).press()
        await wait_for(pilot, lambda: SLACK_ACME not in work.accounts)
        assert SLACK_ACME in home.accounts and SLACK_OSC in home.accounts
        await wait_for(pilot, lambda: screen.table.row_for(row_key("work", SLACK_OSC)) is None)
        assert screen.table.row_for(row_key("home", SLACK_OSC)) is not None


# --- Two simulators, each on its own loopback port ---------------------------------------------


@pytest.fixture
def two_served() -> Iterator[tuple[World, str, World, str]]:
    home = all_connected(build_demo_world())
    work = all_connected(build_demo_world(), SIGNAL)
    home.token, work.token = "home-token-1234567", "work-token-7654321"
    with ExitStack() as stack:
        home_url = stack.enter_context(running_server(home))
        work_url = stack.enter_context(running_server(work))
        yield home, home_url, work, work_url


def loopback(name: str, url: str, token: str) -> NamedConnection:
    settings = Settings(base_url=url, token=token, target=name)
    return NamedConnection(name, connect(settings))


async def test_two_simulators_merged_one_offline_and_actions_routed(
    two_served: tuple[World, str, World, str],
) -> None:
    home, home_url, work, work_url = two_served
    first = loopback("home", home_url, home.token)
    app = BeeperApp(
        first.connection,
        target_name="home",
        more_targets=[loopback("work", work_url, work.token)],
    )
    async with app.run_test(size=(140, 50)) as pilot:
        screen = await loaded(pilot)
        await wait_for(pilot, lambda: len(screen.table.all_rows) == 2 * len(home.accounts))
        top = screen.table.all_rows[0]
        assert (top.target, top.account_id, top.status) == ("work", SIGNAL, "reconnect_required")

        # Reconnect the work account: the session opens on work's simulator, not home's.
        screen.table.select(top.key)
        await pilot.press("r")
        wizard = await screen_of(pilot, LoginWizardScreen)
        await wait_for(pilot, lambda: work.open_session_count == 1 and wizard.step_number >= 1)
        assert home.open_session_count == 0 and not home.sessions
        assert "Signal on work · Reconnect" in screen_text(pilot)
        await pilot.press("escape")
        await screen_of(pilot, LeaveLoginDialog)
        await pilot.press("y")
        await wait_for(pilot, lambda: pilot.app.screen is screen)
        await wait_for(pilot, lambda: work.open_session_count == 0)

        # Home goes offline: its rows stay (stale), work's keep coming.
        home.faults.add("drop", path="/v1/bridges", times=1000)
        work.set_account_status(SIGNAL, "connected")
        await pilot.press("g")
        await wait_for(pilot, lambda: screen.feed.stale_targets == {"home"})
        work_signal = row_key("work", SIGNAL)
        await wait_for(pilot, lambda: screen.feed.row(work_signal).status == "connected")
        assert len(screen.table.all_rows) == 2 * len(home.accounts)

        # Add on the selected (work) row's target opens the session there too.
        screen.table.select(work_signal)
        await pilot.pause()
        screen.add_account("telegram")
        await screen_of(pilot, LoginWizardScreen)
        await wait_for(pilot, lambda: work.open_session_count == 1)
        assert home.open_session_count == 0
    # The app ended with a login open: cancelled on its own simulator.
    assert work.open_session_count == 0 and home.open_session_count == 0
