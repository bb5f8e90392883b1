"""The simulator's HTTP surface: bearer auth, error answers, routing and the request log."""

from __future__ import annotations

import httpx
import pytest

from beeper_tui.sim import World

UNAUTHORIZED = {"message": "Unauthorized: Invalid or missing token", "code": "unauthorized"}


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic demo-token"}],
    ids=["missing", "wrong-token", "wrong-scheme"],
)
async def test_api_refuses_missing_or_bad_token(sim_app, headers: dict[str, str]) -> None:
    from beeper_tui.sim import sim_transport

    transport = sim_transport(sim_app)
    async with httpx.AsyncClient(base_url="http://sim.local", transport=transport) as http:
        for method, path in [
            ("GET", "/v1/accounts"),
            ("GET", "/v1/bridges"),
            ("POST", "/v1/bridges/local-whatsapp/login-sessions"),
            ("POST", "/_sim/scan"),
        ]:
            answer = await http.request(method, path, headers=headers)
            assert answer.status_code == 401, path
            assert answer.json() == UNAUTHORIZED


async def test_info_needs_no_token(sim_app) -> None:
    from beeper_tui.sim import sim_transport

    transport = sim_transport(sim_app)
    async with httpx.AsyncClient(base_url="http://sim.local", transport=transport) as http:
        info = await http.get("/v1/info")
    assert info.status_code == 200
    assert info.json()["app"]["name"] == "Beeper Desktop"
    assert info.json()["server"]["base_url"] == "http://sim.local"


async def test_token_is_accepted_case_insensitively_by_scheme(sim_http: httpx.AsyncClient) -> None:
    answer = await sim_http.get("/v1/bridges", headers={"Authorization": "bearer demo-token"})
    assert answer.status_code == 200


async def test_unknown_things_answer_404(sim_http: httpx.AsyncClient) -> None:
    for path in [
        "/v1/bridges/no-such-bridge",
        "/v1/bridges/no-such-bridge/login-flows",
        "/v1/bridges/local-whatsapp/logins/nobody",
        "/v1/bridges/local-whatsapp/login-sessions/ls_missing",
        "/v1/accounts/nobody",
        "/v1/not-an-endpoint",
    ]:
        answer = await sim_http.get(path)
        assert answer.status_code == 404, path
        assert answer.json()["code"] == "not_found"


async def test_bridge_id_outside_the_pattern_is_a_validation_error(
    sim_http: httpx.AsyncClient,
) -> None:
    answer = await sim_http.get("/v1/bridges/bad%20bridge!")
    assert answer.status_code == 400
    issue = answer.json()["details"]["issues"][0]
    assert issue["path"] == ["path", "bridgeID"]


async def test_session_of_another_bridge_is_not_found(sim_http: httpx.AsyncClient) -> None:
    created = (await sim_http.post("/v1/bridges/local-signal/login-sessions")).json()
    answer = await sim_http.get(
        f"/v1/bridges/local-whatsapp/login-sessions/{created['loginSessionID']}"
    )
    assert answer.status_code == 404


async def test_wrong_method_answers_405_with_error_body(sim_http: httpx.AsyncClient) -> None:
    answer = await sim_http.delete("/v1/bridges")
    assert answer.status_code == 405
    assert answer.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (b"{not json", ["body"]),
        (b"[1, 2]", ["body"]),
        (b'{"flowID": ""}', ["body", "flowID"]),
        (b'{"loginID": 42}', ["body", "loginID"]),
    ],
)
async def test_bad_create_bodies_are_validation_errors(
    sim_http: httpx.AsyncClient, world: World, body: bytes, path: list[str]
) -> None:
    answer = await sim_http.post(
        "/v1/bridges/local-whatsapp/login-sessions",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json()["details"]["issues"][0]["path"] == path
    assert world.open_session_count == 0


async def test_requests_are_recorded_but_control_calls_are_not(
    sim_http: httpx.AsyncClient, world: World
) -> None:
    await sim_http.get("/v1/bridges")
    await sim_http.get("/v1/accounts")
    await sim_http.post("/_sim/scan")
    assert world.requests == [("GET", "/v1/bridges"), ("GET", "/v1/accounts")]


async def test_control_routes_drive_the_world(sim_http: httpx.AsyncClient, world: World) -> None:
    changed = await sim_http.post(
        "/_sim/accounts/discordgo/status",
        json={"status": "reconnect_required", "statusText": "Token expired"},
    )
    assert changed.json()["status"] == "reconnect_required"
    account = (await sim_http.get("/v1/accounts/discordgo")).json()
    assert account["statusText"] == "Token expired"
    bad = await sim_http.post("/_sim/accounts/discordgo/status", json={"status": "sleepy"})
    assert bad.status_code == 400

    created = (await sim_http.post("/v1/bridges/local-signal/login-sessions")).json()
    listed = (await sim_http.get("/_sim/sessions")).json()["items"]
    assert [s["loginSessionID"] for s in listed] == [created["loginSessionID"]]
    rotated = await sim_http.post("/_sim/rotate", json={"sessionID": created["loginSessionID"]})
    assert rotated.json() == {"rotated": 1}
    scanned = await sim_http.post("/_sim/scan", json={"sessionID": created["loginSessionID"]})
    assert scanned.json() == {"scanned": 1}
    assert world.open_session_count == 0

    second = (await sim_http.post("/v1/bridges/local-whatsapp/login-sessions")).json()
    await sim_http.post(f"/_sim/sessions/{second['loginSessionID']}/expire")
    gone = await sim_http.get(
        f"/v1/bridges/local-whatsapp/login-sessions/{second['loginSessionID']}"
    )
    assert gone.status_code == 404

    added = await sim_http.post("/_sim/faults", json={"kind": "status", "status": 503})
    assert added.json()["status"] == 503
    assert (await sim_http.get("/v1/bridges")).status_code == 503
    assert (await sim_http.get("/_sim/faults")).json()["items"] == []
    bad_fault = await sim_http.post("/_sim/faults", json={"kind": "gremlins"})
    assert bad_fault.status_code == 400
    log = (await sim_http.get("/_sim/requests")).json()["items"]
    assert ["GET", "/v1/bridges"] in log
