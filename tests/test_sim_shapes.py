"""Every simulator response has exactly the official shape (OpenAPI schemas, strictly)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from jsonschema import ValidationError

from beeper_tui.sim import World

SESSION_PATH = "/v1/bridges/{bridge}/login-sessions/{session}"


async def test_read_routes_match_official_schemas(sim_http: httpx.AsyncClient, api_shape) -> None:
    info = await sim_http.get("/v1/info")
    api_shape("ConnectInfoOutput", info.json())
    accounts = (await sim_http.get("/v1/accounts")).json()
    api_shape("GetAccountsOutput", accounts)
    for account in accounts:
        one = await sim_http.get(f"/v1/accounts/{account['accountID']}")
        api_shape("GetAccountOutput", one.json())
    bridges = (await sim_http.get("/v1/bridges")).json()
    api_shape("ListBridgesOutput", bridges)
    for bridge in bridges["items"]:
        bridge_id = bridge["id"]
        api_shape("GetBridgeOutput", (await sim_http.get(f"/v1/bridges/{bridge_id}")).json())
        flows = await sim_http.get(f"/v1/bridges/{bridge_id}/login-flows")
        api_shape("ListLoginFlowsOutput", flows.json())
        logins = (await sim_http.get(f"/v1/bridges/{bridge_id}/logins")).json()
        api_shape("ListBridgeLoginsOutput", logins)
        for login in logins["items"]:
            one = await sim_http.get(f"/v1/bridges/{bridge_id}/logins/{login['loginID']}")
            api_shape("BridgeLogin", one.json())


async def test_first_step_of_every_flow_matches_login_session(
    sim_http: httpx.AsyncClient, world: World, api_shape
) -> None:
    checked = 0
    for bridge in (await sim_http.get("/v1/bridges")).json()["items"]:
        flows = (await sim_http.get(f"/v1/bridges/{bridge['id']}/login-flows")).json()["items"]
        for flow in flows:
            body: dict[str, str] = {"flowID": flow["id"]}
            if bridge["status"] in ("limit_reached", "temporarily_unavailable", "disabled"):
                body["accountID"] = bridge["accounts"][0]["accountID"]
            created = await sim_http.post(f"/v1/bridges/{bridge['id']}/login-sessions", json=body)
            assert created.status_code == 200, created.text
            session = created.json()
            if session["currentStep"]["type"] == "webauthn":
                # The document cannot describe an unknown step type; the rest must still fit.
                api_shape("LoginSession", {k: v for k, v in session.items() if k != "currentStep"})
            else:
                api_shape("LoginSession", session)
            path = SESSION_PATH.format(bridge=bridge["id"], session=session["loginSessionID"])
            cancelled = await sim_http.delete(path)
            api_shape("CancelLoginSessionOutput", cancelled.json())
            checked += 1
    assert checked >= 14
    assert world.open_session_count == 0


async def test_code_display_and_complete_session_match(
    sim_http: httpx.AsyncClient, world: World, api_shape
) -> None:
    created = await sim_http.post(
        "/v1/bridges/local-whatsapp/login-sessions", json={"flowID": "phone"}
    )
    session = created.json()
    path = SESSION_PATH.format(bridge="local-whatsapp", session=session["loginSessionID"])
    step = session["currentStep"]
    shown = await sim_http.post(
        f"{path}/steps/{step['stepID']}",
        json={"type": "user_input", "fields": {"phone_number": "+1 555 010 7777"}},
    )
    shown = shown.json()
    assert shown["currentStep"]["display"]["type"] == "code"
    api_shape("LoginSession", shown)
    waiting = asyncio.create_task(
        sim_http.post(
            f"{path}/steps/{shown['currentStep']['stepID']}", json={"type": "display_and_wait"}
        )
    )
    await world.until_waiting(session["loginSessionID"])
    world.scan()
    done = (await waiting).json()
    assert done["status"] == "complete"
    api_shape("LoginSession", done)


async def test_remove_and_error_bodies_match(sim_http: httpx.AsyncClient, api_shape) -> None:
    removed = await sim_http.post(
        "/v1/bridges/telegram/logins/528914776/remove", json={"scope": "all-devices"}
    )
    api_shape("RemoveBridgeLoginOutput", removed.json())
    errors = [
        await sim_http.get("/v1/bridges", headers={"Authorization": "Bearer nope"}),
        await sim_http.get("/v1/bridges/nope"),
        await sim_http.get("/v1/bridges/bad%20id"),
        await sim_http.post("/v1/bridges/twitter/login-sessions", json={}),
        await sim_http.post("/v1/bridges/discordgo/logins/x/remove", json={"scope": "moon"}),
    ]
    assert [e.status_code for e in errors] == [401, 404, 400, 409, 400]
    for error in errors:
        api_shape("Error", error.json())


async def test_every_response_carries_the_version_header(
    sim_http: httpx.AsyncClient, world: World
) -> None:
    world.faults.add("status", path="/v1/accounts", status=502)
    responses = [
        await sim_http.get("/v1/info"),
        await sim_http.get("/v1/bridges"),
        await sim_http.get("/v1/bridges/nope"),
        await sim_http.get("/v1/accounts"),
        await sim_http.get("/v1/nowhere"),
        await sim_http.get("/v1/bridges", headers={"Authorization": ""}),
        await sim_http.post("/_sim/scan"),
    ]
    assert [r.status_code for r in responses] == [200, 200, 404, 502, 404, 401, 200]
    assert all(r.headers["X-Beeper-Desktop-Version"] == "4.2.800" for r in responses)


def test_strict_checker_rejects_unknown_keys(api_shape) -> None:
    """Guard for the checker itself: a misspelt key must fail, an upstream field extra not."""
    account = {
        "accountID": "a",
        "bridge": {"id": "b", "type": "t", "provider": "local"},
        "user": {"id": "u"},
        "status": "connected",
    }
    api_shape("Account", account)
    with pytest.raises(ValidationError):
        api_shape("Account", {**account, "statustext": "typo"})
    api_shape("LoginInputField", {"id": "f", "pattern": "^x$", "options": ["a"]})
