"""Opening the app as a person without a (working) token would, on the simulator; the browser
stand-ins of the OAuth tests; and what the sign-in screens show."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Any

import httpx
from textual.pilot import Pilot

from beeper_tui.api.client import BeeperClient
from beeper_tui.config import Origin, Settings
from beeper_tui.connect import Connection
from beeper_tui.sim import World, build_demo_world, create_app, sim_transport
from beeper_tui.tui.app import BeeperApp
from tests.accounts_pilot import shown_text, wait_for

SIM_BASE_URL = "http://sim.local"


def quiet_world(**options: Any) -> World:
    """A demo world where nothing changes by itself."""
    return build_demo_world(autoscan=None, live_changes=False, **options)


class Unplugged(httpx.AsyncBaseTransport):
    """The simulator behind a plug: while ``unplugged``, every request fails as a closed port
    does (connection refused)."""

    def __init__(self, world: World, unplugged: bool = False) -> None:
        self.inner = sim_transport(create_app(world))
        self.unplugged = unplugged

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.unplugged:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        return await self.inner.handle_async_request(request)


def app_on(
    world: World,
    token: str | None = None,
    *,
    settings_options: dict[str, Any] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    **app_options: Any,
) -> BeeperApp:
    """The app over the in-process simulator (or ``transport``), opened with ``token`` (None:
    none given), as ``beeper-tui`` with BEEPER_BASE_URL set would be."""
    transport = transport or sim_transport(create_app(world))
    client = BeeperClient(SIM_BASE_URL, token, transport=transport, backoff=0.01)
    settings = Settings(
        base_url=SIM_BASE_URL,
        token=token,
        base_url_origin=Origin.ENV,
        base_url_where="BEEPER_BASE_URL",
        token_origin=Origin.ENV if token else Origin.NONE,
        token_where="BEEPER_ACCESS_TOKEN" if token else "no token given",
        **(settings_options or {}),
    )
    conn = Connection(client, SIM_BASE_URL, settings=settings, transport=transport)
    return BeeperApp(conn, refresh=30, **app_options)


def screen_text(pilot: Pilot[Any], width: int = 200) -> str:
    """Every Static on the top screen, as plain text, in order."""
    from textual.widgets import Static

    return "\n".join(shown_text(s, width) for s in pilot.app.screen.query(Static))


async def top_is(pilot: Pilot[Any], name: str, timeout: float = 5.0) -> Any:
    """Wait until the top screen is the class called ``name``, composed; return it."""
    app = pilot.app
    await wait_for(
        pilot, lambda: type(app.screen).__name__ == name and app.screen.is_mounted, timeout
    )
    await pilot.pause()
    return app.screen


class Browser:
    """Plays the browser ``webbrowser.open`` would start: asks the simulator's authorize page
    (in-process, in a thread of its own as a real browser would be) and follows the redirect
    to the sign-in's loopback callback, unless ``follow`` is False (over SSH the callback is
    out of reach: the address is only recorded, for the person to paste)."""

    def __init__(self, world: World, *, follow: bool = True) -> None:
        self.app = create_app(world)
        self.follow = follow
        self.opened: list[str] = []
        self.sent_back_to: list[str] = []
        self.done = threading.Event()

    def open(self, url: str, *args: Any, **kwargs: Any) -> bool:
        self.opened.append(url)
        threading.Thread(target=self._visit, args=(url,), daemon=True).start()
        return True

    def _visit(self, url: str) -> None:
        try:
            location = asyncio.run(self._authorize(url))
            self.sent_back_to.append(location)
            if self.follow:
                # The sign-in may be over (cancelled, timed out): then nothing listens.
                with contextlib.suppress(httpx.HTTPError):
                    httpx.get(location, timeout=5)
        finally:
            self.done.set()

    async def _authorize(self, url: str) -> str:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, timeout=30) as http:
            answer = await http.get(url.replace(SIM_BASE_URL, "http://sim.local"))
        assert answer.status_code == 302, answer.text
        return answer.headers["location"]
