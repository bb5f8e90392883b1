"""``OAuthSignIn`` against the in-process simulator, its callback on a real loopback port.

The browser is played by :func:`browse`: it asks the simulator's authorize page (in-process)
and follows the redirect to the sign-in's real ``127.0.0.1`` callback, as a browser would.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from beeper_tui import __version__
from beeper_tui.api.client import BeeperClient
from beeper_tui.auth import (
    ExchangeRefused,
    OAuthSignIn,
    PastedAddressInvalid,
    ServerUnreachable,
    SignInCancelled,
    SignInDenied,
    SignInTimedOut,
    StateMismatch,
    introspect,
    revoke,
)
from beeper_tui.sim import World, create_app, sim_transport
from tests.support import wait_for

BASE = "http://sim.local"


@pytest.fixture
def transport(world: World) -> httpx.AsyncBaseTransport:
    return sim_transport(create_app(world))


async def redirect_of(url: str, transport: httpx.AsyncBaseTransport) -> str:
    """Where the authorize page sends the browser."""
    async with httpx.AsyncClient(transport=transport) as http:
        answer = await http.get(url)
    assert answer.status_code == 302, answer.text
    return answer.headers["location"]


async def browse(url: str, transport: httpx.AsyncBaseTransport) -> httpx.Response:
    """The browser: the authorize page, then its redirect to the loopback callback."""
    location = await redirect_of(url, transport)
    async with httpx.AsyncClient() as http:
        return await http.get(location)


async def works(token: str, transport: httpx.AsyncBaseTransport) -> bool:
    async with BeeperClient(BASE, token, transport=transport) as client:
        return bool(await client.bridges())


async def test_round_trip_through_the_browser(
    transport: httpx.AsyncBaseTransport, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    async with OAuthSignIn(BASE, transport=transport) as sign_in:
        url = await sign_in.start()
        assert "code_challenge_method=S256" in url and "client_id=" in url
        assert sign_in.redirect_uri is not None
        assert sign_in.redirect_uri.startswith("http://127.0.0.1:")
        await wait_for(None, lambda: opened, what="the browser")
        assert opened == [url]
        page = await browse(opened[0], transport)
        issued = await sign_in.wait()
    assert "close this tab" in page.text
    assert sign_in.browser_opened is True
    assert issued.expires_at is not None and issued.client_id == sign_in.client_id
    assert issued.access_token not in repr(issued)
    assert await works(issued.access_token, transport)


async def test_denial_is_its_own_outcome(world: World, transport: Any) -> None:
    world.oauth.manual = True
    async with OAuthSignIn(BASE, transport=transport, open_browser=False) as sign_in:
        url = await sign_in.start()
        waiting = asyncio.create_task(browse(url, transport))
        await wait_for(None, lambda: world.oauth.pending, what="the authorize page")
        world.oauth.decide(False)
        page = await waiting
        with pytest.raises(SignInDenied, match="declined"):
            await sign_in.wait()
    assert "declined" in page.text
    assert sign_in.browser_opened is None


async def test_state_mismatch_is_refused(transport: Any) -> None:
    async with OAuthSignIn(BASE, transport=transport, open_browser=False) as sign_in:
        url = await sign_in.start()
        location = await redirect_of(url, transport)
        forged = location.replace("state=", "state=forged")
        async with httpx.AsyncClient() as http:
            await http.get(forged)
        with pytest.raises(StateMismatch, match="state does not match"):
            await sign_in.wait()


async def test_refused_exchange_saves_nothing(world: World, transport: Any) -> None:
    async with OAuthSignIn(BASE, transport=transport, open_browser=False) as sign_in:
        url = await sign_in.start()
        sign_in._verifier = "x" * 64  # not the verifier of the challenge that was sent
        await browse(url, transport)
        with pytest.raises(ExchangeRefused, match="PKCE verification failed"):
            await sign_in.wait()
    assert world.oauth.tokens == {}


async def test_timeout(transport: Any) -> None:
    async with OAuthSignIn(BASE, transport=transport, open_browser=False, timeout=0.2) as s:
        await s.start()
        with pytest.raises(SignInTimedOut, match=r"0\.2 seconds"):
            await s.wait()


async def test_cancel_ends_the_wait(transport: Any) -> None:
    async with OAuthSignIn(BASE, transport=transport, open_browser=False) as sign_in:
        await sign_in.start()
        waiting = asyncio.create_task(sign_in.wait())
        await asyncio.sleep(0)
        await sign_in.cancel()
        with pytest.raises(SignInCancelled):
            await waiting


async def test_paste_the_address_over_ssh(transport: Any) -> None:
    """The browser cannot reach the callback: the person pastes where it was sent."""
    async with OAuthSignIn(BASE, transport=transport, open_browser=False) as sign_in:
        url = await sign_in.start()
        waiting = asyncio.create_task(sign_in.wait())
        location = await redirect_of(url, transport)
        with pytest.raises(PastedAddressInvalid, match="code="):
            await sign_in.complete_from_pasted("https://example.com/not-it")
        assert not waiting.done()
        issued = await sign_in.complete_from_pasted(f"  {location}\n")
        assert (await waiting) == issued
    assert await works(issued.access_token, transport)


async def test_introspect_and_revoke(transport: Any) -> None:
    async with OAuthSignIn(BASE, transport=transport, open_browser=False) as sign_in:
        await browse(await sign_in.start(), transport)
        issued = await sign_in.wait()
    status = await introspect(BASE, issued.access_token, transport=transport)
    assert status is not None and status.active and status.expires_at is not None
    await revoke(BASE, issued.access_token, client_id=issued.client_id, transport=transport)
    after = await introspect(BASE, issued.access_token, transport=transport)
    assert after is not None and not after.active
    assert not await works_or_refused(issued.access_token, transport)


class Recording(httpx.AsyncBaseTransport):
    """Hands each request on to ``inner`` and keeps it, so a test can read its headers."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)


async def test_every_oauth_request_says_who_asks_and_carries_the_custom_headers(
    transport: Any,
) -> None:
    """A proxy in front of Beeper Desktop that needs a header sees it on the sign-in too, as on
    the API client's requests; the sign-in itself sends no bearer token."""
    recording = Recording(transport)
    headers = {"X-Team": "ops"}
    async with OAuthSignIn(
        BASE, transport=recording, custom_headers=headers, open_browser=False
    ) as sign_in:
        await browse(await sign_in.start(), transport)
        issued = await sign_in.wait()
    await introspect(BASE, issued.access_token, transport=recording, custom_headers=headers)
    await revoke(BASE, issued.access_token, transport=recording, custom_headers=headers)
    paths = [request.url.path for request in recording.requests]
    assert paths == ["/v1/info", "/oauth/register", "/oauth/token", "/oauth/introspect",
                     "/oauth/revoke"]  # fmt: skip
    for request in recording.requests:
        assert request.headers["User-Agent"] == f"beeper-tui/{__version__}"
        assert request.headers["X-Team"] == "ops"
        assert "Authorization" not in request.headers


async def works_or_refused(token: str, transport: Any) -> bool:
    from beeper_tui.api.errors import BeeperError

    try:
        return await works(token, transport)
    except BeeperError:
        return False


async def test_nothing_listening_is_unreachable() -> None:
    async with OAuthSignIn("http://127.0.0.1:9", open_browser=False) as sign_in:
        with pytest.raises(ServerUnreachable, match="not reachable"):
            await sign_in.start()
