"""Each fault the simulator can inject reaches the client's caller as the right error class,
with a message a person can act on and never the access token: in-process first, then a few
over a real loopback port (and a closed one: "Beeper Desktop is not running")."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable
from typing import Any

import pytest

from beeper_tui.api import errors
from beeper_tui.api.client import BeeperClient
from beeper_tui.sim import World, build_demo_world, create_app, sim_transport
from beeper_tui.sim.serve import running_server
from tests.support.contract import long_poll, sim_client, until_waiting

TOKEN = "tok-Sup3rSecret-value"
BRIDGE = "/v1/bridges/local-whatsapp"


def secret_world() -> World:
    return build_demo_world(token=TOKEN)


async def failure(call: Awaitable[Any], expected: type[errors.BeeperError]) -> errors.BeeperError:
    """The error ``call`` raised: of class ``expected``, and free of the token everywhere."""
    with pytest.raises(expected) as caught:
        await call
    err = caught.value
    for text in (str(err), repr(err), err.explanation, err.hint, str(err.body)):
        assert TOKEN not in text
    return err


def requests_to(world: World, method: str, path: str) -> int:
    return sum(1 for seen in world.requests if seen == (method, path))


# --- In-process ------------------------------------------------------------------------------


async def test_short_latency_still_answers() -> None:
    async with sim_client(secret_world(), timeout=2.0) as (world, client):
        world.faults.add("latency", path="/v1/bridges", delay=0.1)
        started = time.monotonic()
        bridges = await client.bridges()
        assert time.monotonic() - started >= 0.1
        assert len(bridges) == len(world.bridges)


async def test_latency_past_the_timeout_is_answering_too_slowly_not_not_running() -> None:
    async with sim_client(secret_world(), timeout=0.2) as (world, client):
        world.faults.add("latency", path="/v1/bridges", delay=1.0)
        err = await failure(client.bridges(), errors.TimedOut)
    assert isinstance(err, errors.Unreachable) and not isinstance(err, errors.ConnectionDropped)
    assert "answering too slowly" in str(err) and "in time" in str(err)
    assert "isn't running" not in err.explanation
    assert err.endpoint == "GET /v1/bridges"


async def test_server_error_says_so_and_suggests_a_restart() -> None:
    async with sim_client(secret_world()) as (world, client):
        world.faults.add("status", path="/v1/bridges", status=500)
        err = await failure(client.bridges(), errors.ServerError)
    assert err.status == 500 and err.code == "internal_error"
    assert "internal error" in str(err).lower() and "restart" in err.hint.lower()


async def test_bad_gateway_on_a_read_is_retried_before_giving_up() -> None:
    async with sim_client(secret_world(), retries=2) as (world, client):
        world.faults.add("status", path="/v1/bridges", status=502, times=None)
        err = await failure(client.bridges(), errors.ServerError)
        assert requests_to(world, "GET", "/v1/bridges") == 3
    assert "a bridge did not answer" in str(err)


@pytest.mark.parametrize(
    ("status", "expected"),
    [(404, errors.NotFound), (409, errors.Conflict), (422, errors.Invalid)],
)
async def test_client_errors_map_to_their_class(
    status: int, expected: type[errors.BeeperError]
) -> None:
    async with sim_client(secret_world()) as (world, client):
        world.faults.add("status", path=BRIDGE, status=status)
        err = await failure(client.bridge("local-whatsapp"), expected)
        assert err.status == status and err.endpoint == f"GET {BRIDGE}"
        assert str(err)  # the server's own message, never empty
        assert (await client.bridge("local-whatsapp")).id == "local-whatsapp"  # one-off fault


async def test_malformed_json_is_a_protocol_error_naming_the_endpoint() -> None:
    async with sim_client(secret_world()) as (world, client):
        world.faults.add("malformed", path="/v1/bridges")
        err = await failure(client.bridges(), errors.ProtocolError)
    assert "GET /v1/bridges" in str(err) and "malformed" in str(err)
    assert "Update beeper-tui" in err.hint


async def test_dropped_connection_is_connection_dropped() -> None:
    async with sim_client(secret_world()) as (world, client):
        world.faults.add("drop", path="/v1/accounts")
        err = await failure(client.accounts(), errors.ConnectionDropped)
    assert isinstance(err, errors.Unreachable)
    assert "dropped" in str(err) and "GET /v1/accounts" in str(err)


async def test_drop_while_the_long_poll_waits_is_connection_dropped() -> None:
    async with sim_client(secret_world()) as (world, client):
        session = await client.create_login_session("local-whatsapp")
        task = long_poll(client, session)
        await until_waiting(world, task)
        world.faults.add("drop", path="/v1/bridges/*/steps/*")
        err = await failure(asyncio.wait_for(task, 2), errors.ConnectionDropped)
        assert "steps" in str(err)
        # The session outlived the broken connection: the way out is to cancel it.
        assert world.open_session_count == 1
        await client.cancel_login_session("local-whatsapp", session.login_session_id)
        assert world.open_session_count == 0


async def test_rate_limited_read_waits_retry_after_then_succeeds() -> None:
    async with sim_client(secret_world()) as (world, client):
        world.faults.add("ratelimit", path="/v1/bridges", retry_after=0.2)
        started = time.monotonic()
        bridges = await client.bridges()
        assert time.monotonic() - started >= 0.2
        assert bridges and requests_to(world, "GET", "/v1/bridges") == 2


async def test_rate_limited_create_is_not_retried_and_says_when_to_retry() -> None:
    sessions = "/v1/bridges/local-whatsapp/login-sessions"
    async with sim_client(secret_world()) as (world, client):
        world.faults.add("ratelimit", path=sessions, method="POST", retry_after=3)
        err = await failure(client.create_login_session("local-whatsapp"), errors.RateLimited)
        assert requests_to(world, "POST", sessions) == 1
        assert world.open_session_count == 0
    assert isinstance(err, errors.RateLimited) and err.retry_after == 3
    assert "3 s" in err.explanation


async def test_unauthorized_fault_tells_where_to_get_a_token() -> None:
    async with sim_client(secret_world()) as (world, client):
        world.faults.add("unauthorized", path="/v1/bridges")
        err = await failure(client.bridges(), errors.Unauthorized)
    assert err.status == 401
    assert "Settings → Developers" in err.explanation and "BEEPER_ACCESS_TOKEN" in err.hint


async def test_wrong_token_is_unauthorized_and_never_echoed() -> None:
    world = build_demo_world(token="the-right-token")
    transport = sim_transport(create_app(world))
    async with BeeperClient("http://sim.local", TOKEN, transport=transport) as client:
        assert TOKEN not in repr(client)
        err = await failure(client.bridges(), errors.Unauthorized)
        assert (await client.info()).server.status == "running"  # /v1/info needs no token
    assert "refused the access token" in str(err)


# --- Over a real loopback port -----------------------------------------------------------------


def closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_beeper_desktop_not_running_is_unreachable_with_the_settings_hint() -> None:
    base_url = f"http://127.0.0.1:{closed_port()}"
    async with BeeperClient(base_url, TOKEN, backoff=0.001) as client:
        err = await failure(client.bridges(), errors.Unreachable)
    assert base_url in str(err)
    assert "Settings → Developers" in err.explanation


async def test_faults_over_a_real_socket() -> None:
    world = secret_world()
    with running_server(world) as base_url:
        async with BeeperClient(base_url, TOKEN, timeout=0.3, backoff=0.001) as client:
            assert len(await client.bridges()) == len(world.bridges)

            # Slower than the timeout, and over before the server is stopped (which waits
            # for the requests it is still answering).
            world.faults.add("latency", path="/v1/bridges", delay=0.5)
            slow = await failure(client.bridges(), errors.Unreachable)
            assert "in time" in str(slow)

            world.faults.add("drop", path="/v1/accounts")
            await failure(client.accounts(), errors.ConnectionDropped)

            world.faults.add("status", path="/v1/accounts", status=500)
            await failure(client.accounts(), errors.ServerError)

            world.faults.add("malformed", path="/v1/bridges")
            await failure(client.bridges(), errors.ProtocolError)

            assert len(await client.accounts()) == len(world.accounts)

        async with BeeperClient(base_url, "not-" + TOKEN) as stranger:
            await failure(stranger.accounts(), errors.Unauthorized)


async def test_drop_mid_long_poll_over_a_real_socket() -> None:
    world = secret_world()
    with running_server(world) as base_url:
        async with BeeperClient(base_url, TOKEN) as client:
            session = await client.create_login_session("local-signal")
            task = long_poll(client, session)
            await world.until_waiting(session.login_session_id)
            assert not task.done()
            world.faults.add("drop", path="/v1/bridges/*/steps/*")
            await failure(asyncio.wait_for(task, 3), errors.ConnectionDropped)
            await client.cancel_login_session("local-signal", session.login_session_id)
        assert world.open_session_count == 0
