"""The client's limits and its words for each failure: a total deadline per request (a body
dripped a byte at a time ends), a cap on body size (refused without reading it all), error
bodies read leniently (any JSON, numbers in issue paths, no JSON at all), lone surrogates in
IDs sent back without a crash, and a message that says what actually happened."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from beeper_tui.api import errors
from beeper_tui.api.client import BeeperClient
from beeper_tui.sim import build_demo_world
from beeper_tui.sim.serve import running_server

TOKEN = "tok-Limits-Secret-42"
BRIDGE_JSON = {
    "id": "local-whatsapp",
    "type": "whatsapp",
    "provider": "local",
    "displayName": "WhatsApp",
    "activeAccountCount": 0,
    "supportsMultipleAccounts": True,
    "status": "available",
}


def mock_client(handler: Callable[[httpx.Request], httpx.Response], **options: Any) -> BeeperClient:
    return BeeperClient(
        "http://mock.local", TOKEN, transport=httpx.MockTransport(handler), **options
    )


async def raised(client: BeeperClient, call: str, *args: Any) -> errors.BeeperError:
    async with client:
        with pytest.raises(errors.BeeperError) as caught:
            await getattr(client, call)(*args)
    err = caught.value
    assert TOKEN not in err.explanation and TOKEN not in repr(err)
    return err


# --- A total deadline --------------------------------------------------------------------------


async def test_a_dripped_body_is_bounded_by_the_total_deadline() -> None:
    """One byte every 0.04 s never trips the per-read timeout (0.2 s), but the request's total
    deadline (0.4 s) ends it, and the message says the server is slow, not gone."""
    drips = 0

    async def drip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal drips
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
        writer.write(b"Content-Length: 100000\r\n\r\n")
        try:
            while True:
                writer.write(b" ")
                await writer.drain()
                drips += 1
                await asyncio.sleep(0.04)
        except (ConnectionError, OSError):
            pass

    server = await asyncio.start_server(drip, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        client = BeeperClient(f"http://127.0.0.1:{port}", TOKEN, timeout=0.2, deadline=0.4)
        started = time.monotonic()
        err = await raised(client, "bridges")
        took = time.monotonic() - started
    finally:
        server.close()
    assert isinstance(err, errors.TimedOut)
    assert 0.36 <= took < 3.0 and drips >= 5
    assert "answering too slowly" in err.explanation
    assert "isn't running" not in err.explanation


# --- A cap on body size --------------------------------------------------------------------------


async def test_a_body_declared_over_the_cap_is_refused_unread() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": str(50 * 1024 * 1024)}, content=b"")

    err = await raised(mock_client(handler), "bridges")
    assert isinstance(err, errors.TooLarge) and isinstance(err, errors.ProtocolError)
    assert "more than 20 MB" in str(err) and "GET /v1/bridges" in str(err)


async def test_an_endless_body_is_refused_without_reading_it_all() -> None:
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        while True:
            sent += 1000
            yield b"[" * 1000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=endless())

    err = await raised(mock_client(handler, max_body=50_000), "bridges")
    assert isinstance(err, errors.TooLarge)
    assert sent <= 52_000  # it stopped reading at the cap


async def test_an_error_body_over_the_cap_still_gives_the_status_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, content=b'{"message": "' + b"x" * 60_000 + b'"}')

    err = await raised(mock_client(handler, max_body=50_000), "bridge", "gone")
    assert isinstance(err, errors.NotFound) and err.status == 404


# --- Error bodies, read leniently ----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"<html>Bad Gateway</html>",
        b"",
        b"[1, 2, 3]",
        b'"just a string"',
        b'{"message": 42, "code": ["x"], "details": {"issues": "no"}}',
        b"[" * 100_000,
    ],
    ids=["html", "empty", "array", "string", "odd-types", "deep"],
)
async def test_an_unreadable_error_body_is_still_the_error_of_its_status(body: bytes) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(409, content=body)

    err = await raised(mock_client(handler), "bridge", "local-whatsapp")
    assert isinstance(err, errors.Conflict) and err.status == 409
    assert err.explanation


async def test_validation_issue_paths_may_hold_any_number() -> None:
    issues = [
        {"code": "too_small", "message": "Too short", "path": ["body", "fields", 1.5]},
        {"code": "custom", "message": "Odd", "path": ["body", 2, True, None]},
        {"message": "No code, no path"},
        "not an object",
    ]
    body = {"message": "Invalid body", "code": "validation_error", "details": {"issues": issues}}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(422, json=body)

    err = await raised(mock_client(handler), "create_login_session", "local-whatsapp")
    assert isinstance(err, errors.Invalid) and err.status == 422
    assert [issue.message for issue in err.issues] == ["Too short", "Odd", "No code, no path"]
    assert err.issues[0].path == ["body", "fields", "1.5"]
    assert err.issues[1].path == ["body", 2, "true", ""]


async def test_a_success_body_nested_too_deep_is_a_protocol_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b'{"items": ' + b"[" * 200_000)

    err = await raised(mock_client(handler), "bridges")
    assert isinstance(err, errors.ProtocolError) and "malformed JSON" in str(err)


# --- Lone surrogates go back out without a crash ---------------------------------------------


async def test_lone_surrogates_in_ids_are_quoted_in_urls_and_escaped_in_bodies() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "POST" or "login-sessions/" in request.url.path:
            session = {"loginSessionID": "s\ud800", "bridgeID": "b\udfff", "status": "complete"}
            return httpx.Response(200, content=json.dumps(session).encode())
        return httpx.Response(200, content=json.dumps({**BRIDGE_JSON, "id": "b\udfff"}).encode())

    async with mock_client(handler) as client:
        bridge = await client.bridge("b\udfff")
        session = await client.create_login_session("b\udfff", account_id="a\ud800")
        await client.login_session(session.bridge_id, session.login_session_id)
    assert bridge.id == "b\udfff"
    assert seen[0].url.raw_path == b"/v1/bridges/b%ED%BF%BF"
    assert json.loads(seen[1].content) == {"accountID": "a\ud800"}
    assert b"\\ud800" in seen[1].content
    assert seen[2].url.raw_path.endswith(b"/login-sessions/s%ED%A0%80")


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode(),  # "\\ud800" stays an escape: pydantic's parser refuses it
        lambda text: text.encode("utf-16"),  # Python's json reads UTF-16 too
    ],
    ids=["lone-surrogate", "utf-16"],
)
async def test_json_only_pythons_parser_reads_is_read_all_the_same(
    encode: Callable[[str], bytes],
) -> None:
    items = [BRIDGE_JSON, {**BRIDGE_JSON, "id": "b\udfff", "displayName": "Wh\ud800ts"}]
    body = encode(json.dumps({"items": items}))

    async with mock_client(lambda request: httpx.Response(200, content=body)) as client:
        bridges = await client.bridges()
    assert [(b.id, b.display_name) for b in bridges] == [
        ("local-whatsapp", "WhatsApp"),
        ("b\udfff", "Wh\ud800ts"),
    ]


async def test_a_list_item_that_does_not_fit_is_named_by_its_place() -> None:
    items = [BRIDGE_JSON, {**BRIDGE_JSON, "status": None}]
    body = json.dumps({"items": items}).encode()

    err = await raised(mock_client(lambda request: httpx.Response(200, content=body)), "bridges")
    assert isinstance(err, errors.ProtocolError)
    assert "GET /v1/bridges: items.1.status: Input should be a valid string" in str(err)


# --- Each failure in its own words ------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "server_message", "expected"),
    [
        (404, "Not found", "Not found. It may have expired"),
        (429, "retry later", "retry later. Try again in 1 s."),
        (409, "Session busy:", "Session busy: Something changed"),
        (404, "Gone!", "Gone! It may"),
    ],
)
async def test_the_hint_never_runs_into_the_message(
    status: int, server_message: str, expected: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status, headers={"Retry-After": "1"}, json={"message": server_message, "code": "x"}
        )

    err = await raised(mock_client(handler, retries=0), "bridge", "x")
    assert err.explanation.startswith(expected), err.explanation


async def test_https_against_a_plain_http_server_says_so() -> None:
    with running_server(build_demo_world(token=TOKEN)) as base_url:
        err = await raised(BeeperClient(base_url.replace("http:", "https:"), TOKEN), "bridges")
    assert isinstance(err, errors.TLSFailed)
    assert "plain http" in err.explanation and "http://" in err.hint
    assert "Can't reach" not in err.explanation and "isn't running" not in err.explanation


@pytest.mark.parametrize(
    "headers",
    [{"Bad Name": "x"}, {"X-Note": "line\nbreak"}, {"X-Secret": "tok\x00" + TOKEN}],
    ids=["space-in-name", "newline-in-value", "nul-in-value"],
)
async def test_a_bad_header_is_not_a_dropped_connection(headers: dict[str, str]) -> None:
    with running_server(build_demo_world(token=TOKEN)) as base_url:
        err = await raised(BeeperClient(base_url, TOKEN, custom_headers=headers), "bridges")
    assert isinstance(err, errors.RequestNotSent)
    assert not isinstance(err, errors.Unreachable)
    assert "BEEPER_CUSTOM_HEADERS" in err.explanation and "dropped" not in err.explanation
    for value in headers.values():
        assert value not in err.explanation
