"""Snapshots of the home screen (normal, filtered, empty, all fine, offline), the detail pane,
the bridges view and the remove dialog. The home screen, the detail pane and the bridges view
are taken at every size people use (80×24, 100×30, 120×40, 200×60). The clock is frozen, so
"updated N s ago" never moves.

Review a changed SVG before accepting it (``pytest --snapshot-update``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from beeper_tui.sim import build_demo_world
from beeper_tui.tui.accounts.remove_login import RemoveLoginDialog
from beeper_tui.tui.accounts.screen import AccountsScreen
from tests.support import demo_app, loaded, screen_of, shown_text, wait_for

SIZE = (120, 40)
SIZES = [(80, 24), (100, 30), (120, 40), (200, 60)]
EVERY_SIZE = pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AccountsScreen, "clock", lambda self: 1000.0)


def settled(then: Callable[[Any, AccountsScreen], Awaitable[None]] | None = None) -> Any:
    """A run_before: wait for the list and the selected account's login, then ``then``."""

    async def run_before(pilot: Any) -> None:
        screen = await loaded(pilot)
        detail = screen.query_one("#detail-body")
        if screen.table.all_rows:
            await wait_for(pilot, lambda: "Loading…" not in shown_text(detail))
        if then is not None:
            await then(pilot, screen)
        await pilot.pause()

    return run_before


@EVERY_SIZE
def test_home_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    app = demo_app(build_demo_world())
    assert snap_compare(app, terminal_size=size, run_before=settled())


def test_home_screen_filtered(snap_compare: Any) -> None:
    async def type_filter(pilot: Any, screen: AccountsScreen) -> None:
        await pilot.press("slash", *"slack", "enter")

    app = demo_app(build_demo_world())
    assert snap_compare(app, terminal_size=SIZE, run_before=settled(type_filter))


def test_home_screen_without_accounts(snap_compare: Any) -> None:
    world = build_demo_world()
    world.accounts.clear()
    world.logins.clear()
    assert snap_compare(demo_app(world), terminal_size=SIZE, run_before=settled())


def test_home_screen_all_fine(snap_compare: Any) -> None:
    world = build_demo_world()
    for account_id in world.accounts:
        world.set_account_status(account_id, "connected")
    assert snap_compare(demo_app(world), terminal_size=SIZE, run_before=settled())


def test_home_screen_offline_shows_stale_data(snap_compare: Any) -> None:
    world = build_demo_world()

    async def go_offline(pilot: Any, screen: AccountsScreen) -> None:
        # only the list itself fails ("/v1/bridge[s]" matches that path exactly, not its
        # logins): a login the pane loads again meanwhile is drawn the same every run
        world.faults.add("status", path="/v1/bridge[s]", status=500, times=None)
        await pilot.press("g")
        await wait_for(pilot, lambda: screen.header.offline)

    assert snap_compare(demo_app(world), terminal_size=SIZE, run_before=settled(go_offline))


@EVERY_SIZE
def test_detail_pane_of_an_account_sharing_its_login(
    snap_compare: Any, size: tuple[int, int]
) -> None:
    async def pick_slack(pilot: Any, screen: AccountsScreen) -> None:
        if not screen.detail.display:  # a small screen: the pane waits for i
            await pilot.press("i")
        screen.table.select("slackgo.T03OSC00002-U04JRIVERA9")
        detail = screen.query_one("#detail-body")
        await wait_for(pilot, lambda: "Also on this login" in shown_text(detail))

    app = demo_app(build_demo_world())
    assert snap_compare(app, terminal_size=size, run_before=settled(pick_slack))


@EVERY_SIZE
def test_bridges_view(snap_compare: Any, size: tuple[int, int]) -> None:
    async def show_bridges(pilot: Any, screen: AccountsScreen) -> None:
        await pilot.press("b")

    app = demo_app(build_demo_world())
    assert snap_compare(app, terminal_size=size, run_before=settled(show_bridges))


def test_remove_confirm(snap_compare: Any) -> None:
    async def ask_remove(pilot: Any, screen: AccountsScreen) -> None:
        screen.table.select("slackgo.T03OSC00002-U04JRIVERA9")
        await pilot.press("d")
        await screen_of(pilot, RemoveLoginDialog)

    app = demo_app(build_demo_world())
    assert snap_compare(app, terminal_size=SIZE, run_before=settled(ask_remove))
