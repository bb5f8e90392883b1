"""Faults on demand, each seen the way a client sees it."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest

from beeper_tui.sim import World, parse_fault_spec, sim_transport


async def test_latency_delays_the_answer(sim_http: httpx.AsyncClient, world: World) -> None:
    world.faults.add("latency", path="/v1/bridges", delay=0.2)
    started = time.monotonic()
    answer = await sim_http.get("/v1/bridges")
    assert answer.status_code == 200
    assert time.monotonic() - started >= 0.2
    started = time.monotonic()
    await sim_http.get("/v1/bridges")
    assert time.monotonic() - started < 0.2, "a rule fires once by default"


async def test_status_fault_answers_the_official_error_body_once(
    sim_http: httpx.AsyncClient, world: World
) -> None:
    world.faults.add("status", path="/v1/accounts", status=503)
    failed = await sim_http.get("/v1/accounts")
    assert failed.status_code == 503
    assert set(failed.json()) == {"message", "code"}
    assert (await sim_http.get("/v1/accounts")).status_code == 200


async def test_malformed_fault_sends_broken_json(sim_http: httpx.AsyncClient, world: World) -> None:
    world.faults.add("malformed", path="/v1/bridges")
    answer = await sim_http.get("/v1/bridges")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        answer.json()


async def test_drop_reaches_the_client_as_a_transport_error(
    sim_http: httpx.AsyncClient, world: World
) -> None:
    world.faults.add("drop", path="/v1/bridges")
    with pytest.raises(httpx.RemoteProtocolError):
        await sim_http.get("/v1/bridges")
    assert (await sim_http.get("/v1/bridges")).status_code == 200


async def test_drop_during_a_long_poll(sim_http: httpx.AsyncClient, world: World) -> None:
    created = (await sim_http.post("/v1/bridges/local-whatsapp/login-sessions")).json()
    path = f"/v1/bridges/local-whatsapp/login-sessions/{created['loginSessionID']}"
    step_id = created["currentStep"]["stepID"]
    waiting = asyncio.create_task(
        sim_http.post(f"{path}/steps/{step_id}", json={"type": "display_and_wait"})
    )
    await world.until_waiting(created["loginSessionID"])
    assert not waiting.done()
    world.faults.add("drop", path="/v1/bridges/*/steps/*")
    with pytest.raises(httpx.RemoteProtocolError):
        await asyncio.wait_for(waiting, 2)
    # The session itself lives on: the client may re-submit and keep waiting.
    assert (await sim_http.get(path)).json()["status"] == "waiting_for_display"


async def test_ratelimit_sends_retry_after(sim_http: httpx.AsyncClient, world: World) -> None:
    world.faults.add("ratelimit", path="/v1/bridges", retry_after=2)
    answer = await sim_http.get("/v1/bridges")
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "2"
    assert answer.json()["code"] == "rate_limited"


async def test_unauthorized_fault_refuses_a_good_token(
    sim_http: httpx.AsyncClient, world: World
) -> None:
    world.faults.add("unauthorized")
    answer = await sim_http.get("/v1/bridges")
    assert answer.status_code == 401
    assert answer.json() == {
        "message": "Unauthorized: Invalid or missing token",
        "code": "unauthorized",
    }


async def test_rules_match_method_and_path(sim_http: httpx.AsyncClient, world: World) -> None:
    world.faults.add("status", method="POST", path="/v1/bridges/*/login-sessions", times=None)
    assert (await sim_http.get("/v1/bridges/local-whatsapp")).status_code == 200
    for _ in range(3):
        refused = await sim_http.post("/v1/bridges/local-whatsapp/login-sessions")
        assert refused.status_code == 500
    world.faults.clear()
    assert (await sim_http.post("/v1/bridges/local-whatsapp/login-sessions")).status_code == 200


async def test_prefix_rule_and_chance(sim_http: httpx.AsyncClient, world: World) -> None:
    never = world.faults.add("status", path="/v1/bridges", times=None, chance=0.0)
    assert (await sim_http.get("/v1/bridges/telegram/logins")).status_code == 200
    assert never.fired == 0
    world.faults.add("status", path="/v1/bridges", status=502)
    assert (await sim_http.get("/v1/bridges/telegram/logins")).status_code == 502


async def test_slow_answer_past_the_read_timeout_is_a_read_timeout(sim_app, world: World) -> None:
    world.faults.add("latency", delay=0.5)
    headers = {"Authorization": f"Bearer {world.token}"}
    async with httpx.AsyncClient(
        base_url="http://sim.local", transport=sim_transport(sim_app), headers=headers, timeout=0.1
    ) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.get("/v1/bridges")


def test_parse_fault_spec() -> None:
    assert parse_fault_spec("drop") == {"kind": "drop", "times": None}
    assert parse_fault_spec("503:/v1/bridges:2") == {
        "kind": "status",
        "status": 503,
        "path": "/v1/bridges",
        "times": 2,
    }
    assert parse_fault_spec("latency=0.5") == {"kind": "latency", "delay": 0.5, "times": None}
    assert parse_fault_spec("ratelimit=3:/v1/accounts")["retry_after"] == 3.0
    assert parse_fault_spec("drop::1") == {"kind": "drop", "times": 1}
    with pytest.raises(ValueError):
        parse_fault_spec("gremlins")


def test_unknown_fault_kind_is_refused(world: World) -> None:
    with pytest.raises(ValueError):
        world.faults.add("gremlins")
