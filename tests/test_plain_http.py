"""The client's own plain-http transport (``api/plain_http.py``) on real loopback sockets,
against servers that do what real ones do: keep a connection alive, close it between two
requests, answer chunked, answer garbage, stop mid-body, never answer. Each case is what the
person would meet: an answer, or the same words httpx's own transport led to."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import pytest

from beeper_tui.api import errors
from beeper_tui.api.client import BeeperClient
from beeper_tui.api.plain_http import PlainHTTPTransport

TOKEN = "tok-PlainHttp-Secret-77"
SETUP = json.dumps({"state": "ready"}).encode()
Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def answer(body: bytes = SETUP, *, close: bool = False) -> bytes:
    extra = b"Connection: close\r\n" if close else b""
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + extra
        + b"Content-Length: %d\r\n\r\n" % len(body)
        + body
    )


@asynccontextmanager
async def server(handler: Handler) -> AsyncIterator[tuple[str, list[int]]]:
    """A loopback server running ``handler`` per connection: its base URL, and a list that
    counts the connections it took."""
    taken: list[int] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        taken.append(1)
        try:
            await handler(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    listening = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", taken
    finally:
        listening.close()


def client(base_url: str, **options: float) -> BeeperClient:
    return BeeperClient(base_url, TOKEN, backoff=0.001, **options)


async def requests(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    """Each request head sent on one connection, until the client closes it."""
    while True:
        try:
            yield await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return


def test_beeper_desktops_plain_http_address_gets_it() -> None:
    """``http://localhost`` with no proxy in the environment: this transport; anything that may
    need TLS keeps httpx's own (tests/test_client_transport.py checks its certificates)."""
    plain = BeeperClient("http://127.0.0.1:23373", TOKEN)
    assert isinstance(plain._http._transport, PlainHTTPTransport)
    secure = BeeperClient("https://desktop.example:23373", TOKEN)
    assert not isinstance(secure._http._transport, PlainHTTPTransport)


async def test_one_connection_serves_request_after_request() -> None:
    async def keep_alive(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async for head in requests(reader):
            assert head.startswith(b"GET /v1/app/setup HTTP/1.1\r\n")
            assert b"Bearer " + TOKEN.encode() in head
            writer.write(answer())
            await writer.drain()

    async with server(keep_alive) as (base_url, taken), client(base_url) as beeper:
        for _ in range(5):
            assert (await beeper.app_setup()).state == "ready"
    assert len(taken) == 1


@pytest.mark.parametrize("how", ["closed after answering", "said Connection: close"])
async def test_a_connection_the_server_ended_is_not_reused(how: str) -> None:
    async def once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(answer(close=how.startswith("said")))
        await writer.drain()

    async with server(once) as (base_url, taken), client(base_url) as beeper:
        for _ in range(3):
            assert (await beeper.app_setup()).state == "ready"
            await asyncio.sleep(0.01)  # the close reaches the client's side
    assert len(taken) == 3


async def test_a_kept_connection_closed_just_as_a_read_goes_out_is_asked_again() -> None:
    """The race keep-alive always has: the server closes its idle end as the next GET is sent.
    A read is asked again on a new connection, and the person never sees it."""
    first = True

    async def then_drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal first
        await reader.readuntil(b"\r\n\r\n")
        writer.write(answer())
        await writer.drain()
        if first:
            first = False
            await reader.readuntil(b"\r\n\r\n")  # the second request: no answer, gone
            writer.transport.abort()
            return
        async for _ in requests(reader):
            writer.write(answer())

    async with server(then_drop) as (base_url, taken), client(base_url) as beeper:
        await beeper.app_setup()
        assert (await beeper.app_setup()).state == "ready"
    assert len(taken) == 2


async def test_a_submit_on_a_connection_that_drops_is_not_sent_twice() -> None:
    """A POST may have been acted on: it is never sent again by itself."""
    posts = 0

    async def drop_posts(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal posts
        async for head in requests(reader):
            if head.startswith(b"POST"):
                posts += 1
                writer.transport.abort()
                return
            writer.write(answer())
            await writer.drain()

    async with server(drop_posts) as (base_url, _), client(base_url) as beeper:
        await beeper.app_setup()
        with pytest.raises(errors.ConnectionDropped):
            await beeper.create_login_session("local-signal")
    assert posts == 1


async def test_a_chunked_answer_is_read_whole() -> None:
    body = json.dumps({"state": "ready", "padding": "x" * 200_000}).encode()

    async def chunked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        for start in range(0, len(body), 7000):
            part = body[start : start + 7000]
            writer.write(b"%x\r\n%s\r\n" % (len(part), part))
            await writer.drain()
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        await reader.read()

    async with server(chunked) as (base_url, _), client(base_url) as beeper:
        assert (await beeper.app_setup()).state == "ready"


@pytest.mark.parametrize(
    "reply",
    [
        b"SPDY/9 twelve\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n{}",
        b'HTTP/1.1 200 OK\r\nContent-Length: 400\r\n\r\n{"state":',  # then gone
        b"",  # closed without a word
    ],
    ids=["not-http", "bad-length", "cut-mid-body", "no-answer"],
)
async def test_a_broken_answer_is_a_dropped_connection(reply: bytes) -> None:
    async def broken(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(reply)
        await writer.drain()

    async with server(broken) as (base_url, _), client(base_url, timeout=2.0) as beeper:
        with pytest.raises(errors.ConnectionDropped) as caught:
            await beeper.app_setup()
    assert "dropped" in str(caught.value)
    assert TOKEN not in caught.value.explanation


async def test_a_server_that_never_answers_is_answering_too_slowly() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()

    async with server(silent) as (base_url, _), client(base_url, timeout=0.2) as beeper:
        with pytest.raises(errors.TimedOut, match="answering too slowly"):
            await beeper.app_setup()


async def test_a_request_given_up_mid_answer_closes_its_connection() -> None:
    """A wait the person leaves (the wizard closed mid long-poll) hangs up: the server sees
    the connection end, and the next request goes out on a new one."""
    hung_up = asyncio.Event()

    async def slow_then_fast(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        if b"/v1/info" in head:
            assert await reader.read() == b""  # nothing more: the client hung up
            hung_up.set()
            return
        writer.write(answer())
        await writer.drain()

    async with server(slow_then_fast) as (base_url, taken), client(base_url) as beeper:
        waiting = asyncio.create_task(beeper.info())
        await asyncio.sleep(0.05)
        waiting.cancel()
        await asyncio.wait_for(hung_up.wait(), 5)
        assert (await beeper.app_setup()).state == "ready"
    assert len(taken) == 2


async def test_the_transport_alone_refuses_what_is_not_http() -> None:
    async with httpx.AsyncClient(transport=PlainHTTPTransport()) as http:
        with pytest.raises(httpx.UnsupportedProtocol):
            await http.get("https://127.0.0.1:1/")
