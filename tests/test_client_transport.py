"""The client's behaviour at the HTTP level: headers, retries, long-poll re-submission, and
secrecy of the token. A scripted httpx.MockTransport plays the server so each case is exact;
the full flows against the simulator live in test_client_flows.py."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable

import httpx
import pytest

from beeper_tui import __version__
from beeper_tui.api import errors
from beeper_tui.api.client import BeeperClient
from beeper_tui.api.tls import may_use_tls

TOKEN = "s3cret-token-value"
SESSION = {
    "bridgeID": "local-whatsapp",
    "loginSessionID": "ls1",
    "status": "waiting_for_display",
    "currentStep": {
        "type": "display_and_wait",
        "stepID": "qr",
        "display": {"type": "qr", "data": "2@abc"},
    },
}
BRIDGES = {"items": []}


def scripted(*responses: httpx.Response | Callable[[httpx.Request], httpx.Response]):
    """A transport answering each request with the next scripted response; records requests."""
    seen: list[httpx.Request] = []
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return answer(request) if callable(answer) else answer

    return httpx.MockTransport(handler), seen


def client_on(transport: httpx.AsyncBaseTransport, **options) -> BeeperClient:
    options.setdefault("backoff", 0.001)
    return BeeperClient("http://beeper.test", TOKEN, transport=transport, **options)


def error(status: int, message: str = "nope", code: str = "x", **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"message": message, "code": code}, headers=headers)


async def test_requests_carry_bearer_user_agent_and_custom_headers() -> None:
    transport, seen = scripted(httpx.Response(200, json=BRIDGES))
    async with client_on(transport, custom_headers={"X-Team": "ops"}) as client:
        await client.bridges()
    request = seen[0]
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["User-Agent"] == f"beeper-tui/{__version__}"
    assert request.headers["X-Team"] == "ops"


async def test_get_retries_429_honouring_retry_after() -> None:
    transport, seen = scripted(
        error(429, "slow down", "rate_limited", **{"Retry-After": "0.05"}),
        httpx.Response(200, json=BRIDGES),
    )
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with client_on(transport) as client:
        assert await client.bridges() == []
    assert len(seen) == 2
    assert loop.time() - started >= 0.05


@pytest.mark.parametrize("status", [502, 503])
async def test_get_retries_bad_gateway_then_gives_up_with_server_error(status: int) -> None:
    transport, seen = scripted(error(status, "upstream down"))
    async with client_on(transport, retries=2) as client:
        with pytest.raises(errors.ServerError) as caught:
            await client.bridges()
    assert len(seen) == 3  # the first try and two retries
    assert "upstream down" in str(caught.value)


async def test_get_retries_connect_errors_then_says_beeper_is_not_running() -> None:
    attempts = 0

    def refuse(request: httpx.Request) -> httpx.Response:
        nonlocal attempts
        attempts += 1
        raise httpx.ConnectError("refused", request=request)

    async with client_on(httpx.MockTransport(refuse), retries=2) as client:
        with pytest.raises(errors.Unreachable) as caught:
            await client.bridges()
    assert attempts == 3
    assert "Settings → Developers" in caught.value.explanation


@pytest.mark.parametrize("status", [429, 502, 503])
async def test_post_never_retries(status: int) -> None:
    transport, seen = scripted(error(status, **{"Retry-After": "0"}))
    async with client_on(transport) as client:
        with pytest.raises(errors.BeeperError):
            await client.create_login_session("local-whatsapp")
    assert len(seen) == 1


async def test_rate_limited_carries_retry_after() -> None:
    transport, _ = scripted(error(429, "slow", "rate_limited", **{"Retry-After": "7"}))
    async with client_on(transport) as client:
        with pytest.raises(errors.RateLimited) as caught:
            await client.create_login_session("local-whatsapp")
    assert caught.value.retry_after == 7
    assert "7" in caught.value.explanation


async def test_display_and_wait_is_resubmitted_after_read_timeout() -> None:
    calls = 0

    def long_poll(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise httpx.ReadTimeout("no news yet", request=request)
        return httpx.Response(200, json={**SESSION, "status": "complete", "currentStep": None})

    async with client_on(httpx.MockTransport(long_poll)) as client:
        session = await client.submit_step("local-whatsapp", "ls1", "qr", type="display_and_wait")
    assert calls == 2
    assert session.status == "complete"


async def test_long_poll_is_bounded_even_on_transports_without_timeouts() -> None:
    """In-process transports ignore httpx timeouts; the client bounds the wait itself."""
    calls = 0

    class SlowThenDone(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            nonlocal calls
            calls += 1
            if calls == 1:
                await asyncio.sleep(10)
            return httpx.Response(200, json={**SESSION, "status": "complete"})

    async with client_on(SlowThenDone(), long_poll_timeout=0.05) as client:
        session = await client.submit_step("local-whatsapp", "ls1", "qr", type="display_and_wait")
    assert calls == 2 and session.status == "complete"


async def test_user_input_submit_is_not_resubmitted_on_timeout() -> None:
    transport, seen = scripted(lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("t", request=r)))
    async with client_on(transport) as client:
        with pytest.raises(errors.Unreachable):
            await client.submit_step(
                "telegram", "ls1", "phone", type="user_input", fields={"phone": "+1"}
            )
    assert len(seen) == 1


async def test_submit_body_uses_wire_names() -> None:
    transport, seen = scripted(httpx.Response(200, json={**SESSION, "status": "complete"}))
    async with client_on(transport) as client:
        await client.submit_step(
            "slackgo",
            "ls1",
            "cookies",
            type="cookies",
            fields={"d": "xoxd-1"},
            last_url="https://app.slack.com/client",
            source="api",
        )
    assert json.loads(seen[0].content) == {
        "type": "cookies",
        "fields": {"d": "xoxd-1"},
        "lastURL": "https://app.slack.com/client",
        "source": "api",
    }
    assert seen[0].url.path == "/v1/bridges/slackgo/login-sessions/ls1/steps/cookies"


async def test_malformed_json_is_a_protocol_error_naming_the_endpoint() -> None:
    transport, _ = scripted(httpx.Response(200, content=b'{"items": [', headers={}))
    async with client_on(transport) as client:
        with pytest.raises(errors.ProtocolError) as caught:
            await client.bridges()
    assert "GET /v1/bridges" in str(caught.value)


async def test_response_that_does_not_fit_names_the_field() -> None:
    broken = {"items": [{"id": "x", "type": "whatsapp"}]}
    transport, _ = scripted(httpx.Response(200, json=broken))
    async with client_on(transport) as client:
        with pytest.raises(errors.ProtocolError) as caught:
            await client.bridges()
    assert "provider" in str(caught.value)
    assert "GET /v1/bridges" in str(caught.value)


async def test_validation_error_carries_issue_paths() -> None:
    body = {
        "message": "Invalid phone number",
        "code": "invalid_request",
        "details": {
            "issues": [
                {"code": "invalid", "message": "Use + and digits", "path": ["fields", "phone"]}
            ]
        },
    }
    transport, _ = scripted(httpx.Response(400, json=body))
    async with client_on(transport) as client:
        with pytest.raises(errors.Invalid) as caught:
            await client.submit_step("telegram", "ls1", "s", type="user_input", fields={})
    assert caught.value.issues[0].path == ["fields", "phone"]
    assert str(caught.value) == "Invalid phone number"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (401, errors.Unauthorized),
        (403, errors.Forbidden),
        (404, errors.NotFound),
        (409, errors.Conflict),
        (422, errors.Invalid),
        (500, errors.ServerError),
    ],
)
async def test_status_codes_map_to_error_classes(status: int, cls: type) -> None:
    transport, _ = scripted(error(status))
    async with client_on(transport, retries=0) as client:
        with pytest.raises(cls):
            await client.bridge("local-whatsapp")


async def test_token_never_appears_in_errors_or_repr() -> None:
    echo = error(500, f"token {TOKEN} rejected")  # a server that echoes what it got
    transport, _ = scripted(echo)
    async with client_on(transport, retries=0) as client:
        assert TOKEN not in repr(client)
        with pytest.raises(errors.ServerError) as caught:
            await client.bridges()
    err = caught.value
    for text in (str(err), repr(err), err.explanation):
        assert TOKEN not in text


async def test_server_version_header_is_kept() -> None:
    answer = httpx.Response(200, json=BRIDGES, headers={"X-Beeper-Desktop-Version": "4.2.800"})
    transport, _ = scripted(answer)
    async with client_on(transport) as client:
        await client.bridges()
        assert client.server_version == "4.2.800"


async def test_login_that_ended_between_two_waits_is_read_back_not_reported_as_conflict() -> None:
    """A read timeout, then the login completes before the re-submit lands: the server says
    409 'ended'; the client reads the session instead of reporting a false error."""
    done = {**SESSION, "status": "complete", "currentStep": None}

    def server(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json=done)
        if not getattr(server, "timed_out", False):
            server.timed_out = True  # type: ignore[attr-defined]
            raise httpx.ReadTimeout("no news yet", request=request)
        return error(409, "Login session already ended", "session_ended")

    async with client_on(httpx.MockTransport(server)) as client:
        session = await client.submit_step("local-whatsapp", "ls1", "qr", type="display_and_wait")
    assert session.status == "complete"


async def test_conflict_on_the_first_wait_is_still_an_error() -> None:
    transport, _ = scripted(error(409, "Login session already ended", "session_ended"))
    async with client_on(transport) as client:
        with pytest.raises(errors.Conflict):
            await client.submit_step("local-whatsapp", "ls1", "qr", type="display_and_wait")


@pytest.mark.parametrize(
    ("base_url", "env", "expected"),
    [
        ("http://localhost:23373", {}, False),
        ("HTTP://127.0.0.1:23373", {}, False),
        ("https://beeper.example", {}, True),
        ("http://localhost:23373", {"HTTPS_PROXY": "https://proxy.example"}, True),
        ("http://localhost:23373", {"all_proxy": "socks5://proxy.example"}, True),
        ("http://localhost:23373", {"NO_PROXY": "localhost"}, False),
    ],
)
def test_certificates_are_checked_whenever_tls_can_happen(
    base_url: str, env: dict[str, str], expected: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plain-http Beeper Desktop skips loading the CA bundle; https or any proxy keeps it."""
    for name in [n for n in os.environ if n.lower().endswith("_proxy")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert may_use_tls(base_url) is expected
