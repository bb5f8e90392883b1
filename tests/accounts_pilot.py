"""Shared steps of the accounts-screen tests: open the app on a world, wait for things, hear
what it says, and drive its polls one at a time."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Collection
from typing import Any, TypeVar

import httpx
import pytest
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from beeper_tui.api.client import BeeperClient
from beeper_tui.connect import DEMO_BASE_URL, Connection
from beeper_tui.sim import World, create_app, sim_transport
from beeper_tui.tui.accounts.account_table import AccountTable
from beeper_tui.tui.accounts.screen import AccountsScreen
from beeper_tui.tui.app import BeeperApp
from beeper_tui.tui.widgets.footer import Footer

ScreenT = TypeVar("ScreenT", bound=Screen[Any])


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


async def screen_of(pilot: Pilot[Any], kind: type[ScreenT]) -> ScreenT:
    """Wait until the top screen is a ``kind`` and has composed; return it."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, kind) and app.screen.is_mounted)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, kind)
    return screen


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
    return {key.description for key in screen.query_one(Footer).visible_keys() if key.enabled}


def table_lines(table: AccountTable) -> list[str]:
    """What the list shows on screen, line by line (header first)."""
    return [table.render_line(y).text for y in range(table.size.height)]


def heard(app: App[Any]) -> list[str]:
    """From now on, every notification the app shows, as "title: message" (every widget's
    ``notify`` goes through the app's). Call before ``run_test``."""
    said: list[str] = []
    show = app.notify

    def notify(message: str, *, title: str = "", **options: Any) -> None:
        said.append(f"{title}: {message}")
        show(message, title=title, **options)

    app.notify = notify  # type: ignore[method-assign]
    return said


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
    await wait_for(pilot, lambda: len(waits) > before)


class RewritingTransport(httpx.AsyncBaseTransport):
    """A hostile or odd server: the simulator's answers with ``replace`` applied to each
    body (``{b'"x"': b'"\\\\ud800"'}`` sends a lone surrogate where the world says "x") and
    ``drop_headers`` left out."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        replace: dict[bytes, bytes] | None = None,
        drop_headers: Collection[str] = (),
    ) -> None:
        self.inner = inner
        self.replace = replace or {}
        self.drop = {name.lower() for name in drop_headers} | {"content-length"}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        for old, new in self.replace.items():
            body = body.replace(old, new)
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in self.drop]
        return httpx.Response(response.status_code, headers=headers, content=body)


def rewritten_app(world: World, replace: dict[bytes, bytes], **app_kwargs: Any) -> BeeperApp:
    """The real app on ``world``, its answers passed through :class:`RewritingTransport`."""
    transport = RewritingTransport(sim_transport(create_app(world)), replace)
    client = BeeperClient(DEMO_BASE_URL, world.token, transport=transport)
    return BeeperApp(Connection(client, "embedded demo", world), **app_kwargs)


async def bridge_selected(pilot: Pilot[Any], screen: AccountsScreen, bridge_id: str) -> None:
    """Switch to the bridges view and put the cursor on ``bridge_id``."""
    await pilot.press("b")
    await wait_for(pilot, lambda: screen.bridge_table.has_focus)
    table = screen.bridge_table
    table.move_cursor(row=table.get_row_index(bridge_id))
    await pilot.pause()


def bridges_requests(world: Any) -> int:
    return sum(1 for method, path in world.requests if method == "GET" and path == "/v1/bridges")


def logins_requests(world: Any) -> int:
    return sum(1 for method, path in world.requests if method == "GET" and path.endswith("/logins"))
