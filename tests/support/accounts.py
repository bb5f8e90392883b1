"""The accounts screen in Pilot tests: find it, wait for its first fill, read its list, and
drive its polls one at a time."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from beeper_tui.tui.accounts.account_table import AccountTable
from beeper_tui.tui.accounts.screen import AccountsScreen
from tests.support.waiting import wait_for


def home(pilot: Pilot[Any]) -> AccountsScreen:
    """The accounts screen (wherever the screen stack is now)."""
    return next(s for s in pilot.app.screen_stack if isinstance(s, AccountsScreen))


async def loaded(pilot: Pilot[Any]) -> AccountsScreen:
    """Wait until the first refresh has filled the list; return the screen."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, AccountsScreen), what="accounts")
    screen = home(pilot)
    await wait_for(pilot, lambda: screen.header.updated_at is not None, what="the first fill")
    await pilot.pause()
    return screen


def table_lines(table: AccountTable) -> list[str]:
    """What the list shows on screen, line by line (header first)."""
    return [table.render_line(y).text for y in range(table.size.height)]


def polls_on_demand(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The accounts screen polls only when woken (``g``, or what a reconnect or a removal
    does), never by the clock; returns the pauses it would have waited, one per poll."""
    waits: list[float] = []
    wait = AccountsScreen.wait_for_next_poll

    async def wait_to_be_woken(self: AccountsScreen, delay: float) -> None:
        waits.append(delay)
        await wait(self, 3600.0)

    monkeypatch.setattr(AccountsScreen, "wait_for_next_poll", wait_to_be_woken)
    return waits


async def poll(pilot: Pilot[Any], waits: list[float]) -> None:
    """Press ``g`` and wait until that poll is answered and drawn (its worker waits again)."""
    before = len(waits)
    await pilot.press("g")
    await wait_for(pilot, lambda: len(waits) > before, what="the poll")


async def bridge_selected(pilot: Pilot[Any], screen: AccountsScreen, bridge_id: str) -> None:
    """Switch to the bridges view and put the cursor on ``bridge_id``."""
    await pilot.press("b")
    await wait_for(pilot, lambda: screen.bridge_table.has_focus, what="the bridges view")
    table = screen.bridge_table
    table.move_cursor(row=table.get_row_index(bridge_id))
    await pilot.pause()


def bridges_requests(world: Any) -> int:
    """How many times the app has asked the world for its bridges."""
    return sum(1 for method, path in world.requests if method == "GET" and path == "/v1/bridges")


def logins_requests(world: Any) -> int:
    """How many times the app has asked the world for a bridge's logins."""
    return sum(1 for method, path in world.requests if method == "GET" and path.endswith("/logins"))
