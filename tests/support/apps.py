"""The app under test, built on the embedded simulator: quiet worlds, the transports that
stand between app and simulator (a hostile rewriter, a pulled plug, requests held until the test
lets them through), and the app itself opened
each way a person opens it."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from typing import Any

import httpx

from beeper_tui.api.client import BeeperClient
from beeper_tui.config import Origin, Settings
from beeper_tui.connect import DEMO_BASE_URL, Connection, connect_demo
from beeper_tui.sim import World, build_demo_world, create_app, sim_transport
from beeper_tui.tui.app import BeeperApp

SIM_BASE_URL = "http://sim.local"


def quiet_world(**options: Any) -> World:
    """A demo world where nothing happens by itself: no random status changes, and the test
    is the phone (nothing is scanned unless it says ``world.scan()``)."""
    return build_demo_world(autoscan=None, live_changes=False, **options)


def demo_app(world: World | None = None, **app_kwargs: Any) -> BeeperApp:
    """The real BeeperApp over the in-process simulator (``beeper-tui --demo``); without a
    world, on a :func:`quiet_world`."""
    return BeeperApp(connect_demo(world or quiet_world()), **app_kwargs)


def wizard_app(
    world: World,
    bridge: str,
    flow: str | None = None,
    login: str | None = None,
    account: str | None = None,
) -> BeeperApp:
    """The app as ``beeper-tui login BRIDGE ...`` opens it: straight on the wizard."""
    return demo_app(world, login_target=(bridge, flow, login, account))


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


class HeldRequests(httpx.AsyncBaseTransport):
    """The simulator, with the requests of one ``method`` under a ``path`` prefix held on
    their way until the test says :meth:`release`: a slow request whose slowness lasts
    exactly as long as the test needs, instead of a delay that a loaded machine outlasts.
    ``held`` counts the requests that arrived."""

    def __init__(self, world: World, method: str, path: str) -> None:
        self.inner = sim_transport(create_app(world))
        self.method, self.path = method, path
        self.held = 0
        self._released = asyncio.Event()

    def release(self) -> None:
        """Let the held requests (and every later one) through."""
        self._released.set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == self.method and request.url.path.startswith(self.path):
            self.held += 1
            await self._released.wait()
        return await self.inner.handle_async_request(request)


def held_demo_app(world: World, method: str, path: str) -> tuple[BeeperApp, HeldRequests]:
    """The app as :func:`demo_app` opens it, with ``method`` requests under ``path`` held
    until released (:class:`HeldRequests`)."""
    transport = HeldRequests(world, method, path)
    client = BeeperClient(DEMO_BASE_URL, world.token, transport=transport)
    return BeeperApp(Connection(client, "embedded demo", world, transport=transport)), transport
