"""Finding Beeper Desktop on 127.0.0.1 when nobody said where: real sockets, a served simulator.

The port lists are the test's own (free ports it picked), never the real 23373–23392, which
another Beeper Desktop or simulator on this machine may be using.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest

from beeper_tui.config import Origin, Settings
from beeper_tui.discovery import discover, find_desktop, looks_like_desktop
from beeper_tui.sim import World
from beeper_tui.sim.serve import running_server

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def free_ports(count: int) -> list[int]:
    """Ports nothing listens on (bound, then closed)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@asynccontextmanager
async def listening(handler: Handler) -> AsyncIterator[int]:
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()


async def other_web_server(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    body = b'{"hello": "not beeper"}'
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    await writer.drain()
    writer.close()


async def silent_server(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await asyncio.sleep(30)  # accepts, never answers


def port_of(base_url: str) -> int:
    return int(base_url.rsplit(":", 1)[1])


async def test_finds_the_simulator_past_other_servers(world: World) -> None:
    closed = free_ports(2)
    async with listening(other_web_server) as other, listening(silent_server) as silent:
        with running_server(world) as base_url:
            sim_port = port_of(base_url)
            found = await find_desktop([closed[0], other, silent, closed[1], sim_port])
    assert found.base_url == base_url and found.port == sim_port
    assert found.tried == (closed[0], other, silent, closed[1])


async def test_the_first_port_is_asked_first(world: World) -> None:
    with running_server(world) as first, running_server(World()) as second:
        found = await find_desktop([port_of(first), port_of(second)])
    assert found.base_url == first and found.tried == ()


async def test_nothing_listening_lists_every_port_tried() -> None:
    ports = free_ports(20)
    found = await find_desktop(ports)
    assert (found.base_url, found.tried) == (None, tuple(ports))


async def test_discover_fills_in_only_a_missing_address(world: World) -> None:
    with running_server(world) as base_url:
        ports = [*free_ports(1), port_of(base_url)]
        probed = await discover(Settings(), ports=ports)
        assert probed.base_url == base_url and probed.base_url_origin is Origin.PROBED
        assert f"port {port_of(base_url)} answered" in probed.base_url_where

        given = Settings(base_url="http://127.0.0.1:1", base_url_origin=Origin.FLAG)
        assert await discover(given, ports=ports) is given, "an explicit address stays"
        from_config = Settings(base_url="http://127.0.0.1:1", base_url_origin=Origin.CONFIG)
        assert await discover(from_config, ports=ports) is from_config

    nothing = await discover(Settings(), ports=free_ports(3))
    assert nothing.base_url == "http://127.0.0.1:23373" and len(nothing.tried_ports) == 3


@pytest.mark.parametrize(
    ("answer", "beeper"),
    [
        (b'HTTP/1.1 200 OK\r\n\r\n{"app": {}, "server": {}, "endpoints": {}}', True),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b'1a\r\n{"app": {}, "server": {}, \r\n10\r\n"endpoints": {}}\r\n0\r\n\r\n',
            True,
        ),
        (b'HTTP/1.1 401 Unauthorized\r\n\r\n{"app": {}, "server": {}, "endpoints": {}}', False),
        (b"HTTP/1.1 200 OK\r\n\r\n<html>", False),
        (b'HTTP/1.1 200 OK\r\n\r\n{"app": "x", "server": {}, "endpoints": {}}', False),
        (b"garbage", False),
    ],
)
def test_what_answers_like_beeper_desktop(answer: bytes, beeper: bool) -> None:
    assert looks_like_desktop(answer) is beeper


def test_discover_now_leaves_a_given_address_alone() -> None:
    from beeper_tui.discovery import discover_now

    given = Settings(base_url="http://127.0.0.1:1", base_url_origin=Origin.ENV)
    assert discover_now(given) is given
