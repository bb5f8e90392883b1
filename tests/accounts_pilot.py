"""Shared steps of the accounts-screen tests: open the app on a world and wait for things."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from beeper_tui.tui.accounts.account_table import AccountTable
from beeper_tui.tui.accounts.screen import AccountsScreen


async def wait_for(
    pilot: Pilot[Any], condition: Callable[[], object], timeout: float = 5.0
) -> None:
    """Let the app run until ``condition()`` is true; fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await pilot.pause(0.02)


async def screen_named(pilot: Pilot[Any], name: str, timeout: float = 5.0) -> Any:
    """Wait until the top screen is of the class called ``name`` and has composed."""
    app = pilot.app
    await wait_for(pilot, lambda: type(app.screen).__name__ == name and app.screen.is_mounted)
    await pilot.pause()
    return app.screen


def home(pilot: Pilot[Any]) -> AccountsScreen:
    """The accounts screen (wherever the screen stack is now)."""
    screen = next(s for s in pilot.app.screen_stack if isinstance(s, AccountsScreen))
    return screen


async def loaded(pilot: Pilot[Any]) -> AccountsScreen:
    """Wait until the first refresh has filled the list; return the screen."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, AccountsScreen))
    screen = home(pilot)
    await wait_for(pilot, lambda: screen.header.updated_at is not None)
    await pilot.pause()
    return screen


def shown_text(static: Any, width: int = 60) -> str:
    """The plain text a Static (or any renderable widget content) shows."""
    content = static.content if hasattr(static, "content") else static.render()
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


def footer_labels(screen: Any) -> set[str]:
    """The labels of the keys the footer shows, enabled ones only."""
    return {key.description for key in screen.query(FooterKey) if not key.disabled}


def table_lines(table: AccountTable) -> list[str]:
    """What the list shows on screen, line by line (header first)."""
    return [table.render_line(y).text for y in range(table.size.height)]


def notifications(app: Any) -> list[str]:
    """Every notification shown so far, as "title: message"."""
    return [f"{n.title}: {n.message}" for n in app._notifications]


async def bridge_selected(pilot: Pilot[Any], screen: AccountsScreen, bridge_id: str) -> None:
    """Switch to the bridges view and put the cursor on ``bridge_id``."""
    await pilot.press("b")
    await pilot.pause()
    table = screen.bridge_table
    table.move_cursor(row=table.get_row_index(bridge_id))
    await pilot.pause()


def bridges_requests(world: Any) -> int:
    return sum(1 for method, path in world.requests if method == "GET" and path == "/v1/bridges")


def logins_requests(world: Any) -> int:
    return sum(1 for method, path in world.requests if method == "GET" and path.endswith("/logins"))
