"""The simulator's OAuth server and setup state, as a client (or a browser) meets them."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from beeper_tui.auth.pkce import challenge_of, new_state, new_verifier
from beeper_tui.sim import World, create_app, sim_transport
from tests.support import wait_for

BASE = "http://sim.local"
REDIRECT = "http://127.0.0.1:40111/callback"


@pytest.fixture
async def http(world: World) -> Any:
    async with httpx.AsyncClient(base_url=BASE, transport=sim_transport(create_app(world))) as c:
        yield c


async def register(http: httpx.AsyncClient, redirect: str = REDIRECT) -> str:
    body = {
        "client_name": "beeper-tui",
        "redirect_uris": [redirect],
        "token_endpoint_auth_method": "none",
        "scope": "read write",
    }
    response = await http.post("/oauth/register", json=body)
    assert response.status_code == 201
    client_id: str = response.json()["client_id"]
    return client_id


def authorize_query(client_id: str, verifier: str, state: str, redirect: str = REDIRECT) -> str:
    return urlencode(
        {
            "client_id": client_id,
            "redirect_uri": redirect,
            "response_type": "code",
            "scope": "read write",
            "state": state,
            "code_challenge": challenge_of(verifier),
            "code_challenge_method": "S256",
        }
    )


async def authorize(http: httpx.AsyncClient, client_id: str, verifier: str, state: str) -> dict:
    response = await http.get("/oauth/authorize?" + authorize_query(client_id, verifier, state))
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def exchange_form(client_id: str, code: str, verifier: str, redirect: str = REDIRECT) -> dict:
    return {
        "grant_type": "authorization_code",
        "client_id": client_id,
        "code": code,
        "code_verifier": verifier,
        "redirect_uri": redirect,
    }


async def issued_token(http: httpx.AsyncClient) -> str:
    client_id, verifier, state = await register(http), new_verifier(), new_state()
    answer = await authorize(http, client_id, verifier, state)
    response = await http.post(
        "/oauth/token", data=exchange_form(client_id, answer["code"], verifier)
    )
    assert response.status_code == 200
    token: str = response.json()["access_token"]
    return token


async def test_metadata_and_info_name_the_endpoints(http: httpx.AsyncClient) -> None:
    meta = (await http.get("/.well-known/oauth-authorization-server")).json()
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["token_endpoint"] == f"{BASE}/oauth/token"
    oauth = (await http.get("/v1/info")).json()["endpoints"]["oauth"]
    assert oauth["registration_endpoint"] == f"{BASE}/oauth/register"
    assert oauth["revocation_endpoint"] == f"{BASE}/oauth/revoke"


async def test_round_trip_token_works_on_v1_until_revoked(http: httpx.AsyncClient) -> None:
    token = await issued_token(http)
    bearer = {"Authorization": f"Bearer {token}"}
    assert (await http.get("/v1/accounts", headers=bearer)).status_code == 200
    status = (await http.post("/oauth/introspect", data={"token": token})).json()
    assert status["active"] is True and status["exp"] > 0 and status["scope"] == "read write"

    assert (await http.post("/oauth/revoke", data={"token": token})).status_code == 200
    assert (await http.get("/v1/accounts", headers=bearer)).status_code == 401
    assert (await http.post("/oauth/introspect", data={"token": token})).json() == {"active": False}


async def test_wrong_verifier_is_refused_and_spends_the_code(http: httpx.AsyncClient) -> None:
    client_id, verifier, state = await register(http), new_verifier(), new_state()
    answer = await authorize(http, client_id, verifier, state)
    assert answer["state"] == state
    wrong = await http.post(
        "/oauth/token", data=exchange_form(client_id, answer["code"], new_verifier())
    )
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    again = await http.post("/oauth/token", data=exchange_form(client_id, answer["code"], verifier))
    assert again.status_code == 400, "a code is single use, even after a failed attempt"


async def test_code_is_single_use_and_bound_to_client_and_redirect(
    http: httpx.AsyncClient,
) -> None:
    client_id, verifier = await register(http), new_verifier()
    other_client = await register(http)
    code = (await authorize(http, client_id, verifier, new_state()))["code"]
    stolen = await http.post("/oauth/token", data=exchange_form(other_client, code, verifier))
    assert stolen.status_code == 400

    code = (await authorize(http, client_id, verifier, new_state()))["code"]
    elsewhere = exchange_form(client_id, code, verifier, redirect="http://127.0.0.1:1/callback")
    assert (await http.post("/oauth/token", data=elsewhere)).status_code == 400

    code = (await authorize(http, client_id, verifier, new_state()))["code"]
    first = await http.post("/oauth/token", data=exchange_form(client_id, code, verifier))
    second = await http.post("/oauth/token", data=exchange_form(client_id, code, verifier))
    assert (first.status_code, second.status_code) == (200, 400)


async def test_authorize_refuses_unknown_redirects_and_plain_challenges(
    http: httpx.AsyncClient,
) -> None:
    refused = await http.post(
        "/oauth/register", json={"redirect_uris": ["https://evil.example/cb"]}
    )
    assert refused.status_code == 400
    client_id = await register(http)
    query = authorize_query(client_id, new_verifier(), "s", redirect="http://127.0.0.1:9/other")
    unregistered = await http.get("/oauth/authorize?" + query)
    assert unregistered.status_code == 400 and "location" not in unregistered.headers
    plain = authorize_query(client_id, new_verifier(), "s").replace("S256", "plain")
    answer = await http.get("/oauth/authorize?" + plain)
    assert "error=invalid_request" in answer.headers["location"]


async def test_expired_token_is_refused(world: World, http: httpx.AsyncClient) -> None:
    now = [1000.0]
    world.oauth.clock = lambda: now[0]
    world.oauth.token_lifetime = 60
    token = await issued_token(http)
    bearer = {"Authorization": f"Bearer {token}"}
    assert (await http.get("/v1/bridges", headers=bearer)).status_code == 200
    now[0] += 61
    assert (await http.get("/v1/bridges", headers=bearer)).status_code == 401
    assert (await http.post("/oauth/introspect", data={"token": token})).json()["active"] is False


async def test_manual_authorize_waits_for_approve_or_deny(
    world: World, http: httpx.AsyncClient
) -> None:
    world.oauth.manual = True
    control = {"Authorization": f"Bearer {world.token}"}
    client_id, verifier = await register(http), new_verifier()
    url = "/oauth/authorize?" + authorize_query(client_id, verifier, "st")

    waiting = asyncio.create_task(http.get(url))
    await wait_for(None, lambda: world.oauth.pending, what="the authorize page")
    assert not waiting.done()
    assert (await http.post("/_sim/deny", headers=control)).json() == {"denied": 1}
    denied = await asyncio.wait_for(waiting, 3)
    assert "error=access_denied" in denied.headers["location"]
    assert "state=st" in denied.headers["location"]

    waiting = asyncio.create_task(http.get(url))
    await wait_for(None, lambda: world.oauth.pending, what="the authorize page")
    assert (await http.post("/_sim/approve", headers=control)).json() == {"approved": 1}
    assert "code=" in (await asyncio.wait_for(waiting, 3)).headers["location"]


@pytest.mark.parametrize("state", ["needs-login", "initializing", "needs-first-sync"])
async def test_setup_state_is_public_before_sign_in(
    world: World, http: httpx.AsyncClient, state: str
) -> None:
    world.setup_state = state
    answer = await http.get("/v1/app/setup")
    assert answer.status_code == 200 and answer.json()["state"] == state
    assert ("matrix" in answer.json()) == (state != "needs-login")


async def test_setup_state_ready_needs_a_token(world: World, http: httpx.AsyncClient) -> None:
    assert (await http.get("/v1/app/setup")).status_code == 401
    bearer = {"Authorization": f"Bearer {world.token}"}
    body = (await http.get("/v1/app/setup", headers=bearer)).json()
    assert body["state"] == "ready" and body["e2ee"]["firstSyncDone"] is True
