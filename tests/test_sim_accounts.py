"""The demo world's accounts and bridges: its variety, reconnect, add, limits and remove."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
import pytest

from beeper_tui.api.models import ACCOUNT_STATUSES, BRIDGE_STATUSES
from beeper_tui.sim import ManualClock, World, build_demo_world, create_app, sim_transport


@pytest.fixture
def clock(world: World) -> ManualClock:
    """The world's time for this test: it passes only when the test says."""
    clock = ManualClock()
    world.clock = clock
    return clock


async def bridges(http: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    return {b["id"]: b for b in (await http.get("/v1/bridges")).json()["items"]}


async def finish_display(http: httpx.AsyncClient, world: World, session: dict[str, Any]) -> dict:
    path = f"/v1/bridges/{session['bridgeID']}/login-sessions/{session['loginSessionID']}"
    waiting = asyncio.create_task(
        http.post(
            f"{path}/steps/{session['currentStep']['stepID']}", json={"type": "display_and_wait"}
        )
    )
    await world.until_waiting(session["loginSessionID"])
    world.scan(session["loginSessionID"])
    return (await asyncio.wait_for(waiting, 2)).json()


async def test_demo_world_is_varied(sim_http: httpx.AsyncClient) -> None:
    by_id = await bridges(sim_http)
    accounts = (await sim_http.get("/v1/accounts")).json()
    assert len(by_id) >= 10 and len(accounts) >= 14
    assert {b["status"] for b in by_id.values()} == set(BRIDGE_STATUSES)
    assert {b["provider"] for b in by_id.values()} == {
        "local",
        "cloud",
        "platform-sdk",
        "self-hosted",
    }
    assert {a["status"] for a in accounts} == set(ACCOUNT_STATUSES)
    for bridge in by_id.values():
        assert bridge["activeAccountCount"] == len(bridge["accounts"])
    names = [a["user"].get("fullName", "") for a in accounts]
    assert any(re.search("[\u0600-\u06ff]", n) for n in names), "an Arabic name"
    assert any(re.search("[\u0590-\u05ff]", n) for n in names), "a Hebrew name"
    assert any(len(n) >= 200 for n in names)
    assert any("[bold]" in n for n in names)
    assert any(re.search("[\U0001f300-\U0001faff]", n) for n in names), "an emoji"
    phones = [a["user"]["phoneNumber"] for a in accounts if "phoneNumber" in a["user"]]
    assert phones and all(re.fullmatch(r"\+[1-9][0-9]{6,14}", p) for p in phones)
    texts = {b["statusText"] for b in by_id.values() if "statusText" in b}
    assert "Account limit reached: remove an account to add another" in texts
    assert "Temporarily unavailable while Beeper updates this bridge" in texts
    slack_logins = [a["loginID"] for a in by_id["slackgo"]["accounts"]]
    assert any(slack_logins.count(login) == 2 for login in slack_logins)


async def test_extra_accounts_spread_over_bridges() -> None:
    world = build_demo_world(extra_accounts=2000)
    transport = sim_transport(create_app(world))
    headers = {"Authorization": f"Bearer {world.token}"}
    async with httpx.AsyncClient(
        base_url="http://sim.local", transport=transport, headers=headers
    ) as http:
        accounts = (await http.get("/v1/accounts")).json()
        by_id = await bridges(http)
    assert len(accounts) == 2017
    assert len({a["accountID"] for a in accounts}) == 2017
    assert sum(b["activeAccountCount"] for b in by_id.values()) == 2017
    assert sum(b["activeAccountCount"] > 100 for b in by_id.values()) >= 5


async def test_reconnect_by_login_keeps_the_account_and_count(
    sim_http: httpx.AsyncClient, world: World, clock: ManualClock
) -> None:
    broken = (
        await sim_http.get("/v1/accounts/local-whatsapp_ba_Qm9uZGF5TW9ybmluZ0NvZmZlZQ")
    ).json()
    assert broken["status"] == "reconnect_required"
    before = (await bridges(sim_http))["local-whatsapp"]["activeAccountCount"]
    session = (
        await sim_http.post(
            "/v1/bridges/local-whatsapp/login-sessions", json={"loginID": broken["loginID"]}
        )
    ).json()
    assert session["loginID"] == broken["loginID"]
    assert session["accountID"] == broken["accountID"]
    done = await finish_display(sim_http, world, session)
    assert done["status"] == "complete"
    assert done["accountID"] == broken["accountID"]
    assert done["account"]["user"] == broken["user"]
    assert done["account"]["status"] == "backfilling"
    clock.advance(world.backfill_seconds)
    after = await bridges(sim_http)
    assert after["local-whatsapp"]["activeAccountCount"] == before
    again = (await sim_http.get(f"/v1/accounts/{broken['accountID']}")).json()
    assert again["status"] == "connected" and "statusText" not in again


async def test_reconnect_by_account_brings_back_every_account_of_its_login(
    sim_http: httpx.AsyncClient,
) -> None:
    attention = "slackgo.T03OSC00002-U04JRIVERA9"
    session = (
        await sim_http.post("/v1/bridges/slackgo/login-sessions", json={"accountID": attention})
    ).json()
    assert session["loginID"] == "T01ACME0001-U02JAMIE001"
    fields = {"token": "xoxc-1", "d": "xoxd-1"}
    path = f"/v1/bridges/slackgo/login-sessions/{session['loginSessionID']}"
    step_id = session["currentStep"]["stepID"]
    done = (
        await sim_http.post(f"{path}/steps/{step_id}", json={"type": "cookies", "fields": fields})
    ).json()
    assert done["status"] == "complete"
    login = (await sim_http.get("/v1/bridges/slackgo/logins/T01ACME0001-U02JAMIE001")).json()
    assert attention in login["accountIDs"] and len(login["accountIDs"]) == 2
    for account_id in login["accountIDs"]:
        account = (await sim_http.get(f"/v1/accounts/{account_id}")).json()
        assert account["status"] == "backfilling"
    assert (await bridges(sim_http))["slackgo"]["activeAccountCount"] == 3


async def test_unavailable_bridges_refuse_new_accounts_but_allow_reconnects(
    sim_http: httpx.AsyncClient,
) -> None:
    by_id = await bridges(sim_http)
    for bridge_id in ("twitter", "imessage", "googlechat"):
        bridge = by_id[bridge_id]
        refused = await sim_http.post(f"/v1/bridges/{bridge_id}/login-sessions", json={})
        assert refused.status_code == 409
        assert refused.json()["message"] == bridge["statusText"]
        account = bridge["accounts"][0]
        reconnect = await sim_http.post(
            f"/v1/bridges/{bridge_id}/login-sessions", json={"loginID": account["loginID"]}
        )
        assert reconnect.status_code == 200, bridge_id


async def test_adding_to_the_limit_flips_the_bridge_to_limit_reached(
    sim_http: httpx.AsyncClient, world: World
) -> None:
    signal = (await bridges(sim_http))["local-signal"]
    assert (signal["status"], signal["activeAccountCount"]) == ("connected", 1)
    session = (await sim_http.post("/v1/bridges/local-signal/login-sessions")).json()
    assert display_data(session).startswith("sgnl://linkdevice?uuid=")
    done = await finish_display(sim_http, world, session)
    assert done["login"]["loginID"] not in {a["loginID"] for a in signal["accounts"]}
    signal = (await bridges(sim_http))["local-signal"]
    assert signal["activeAccountCount"] == 2
    assert signal["status"] == "limit_reached"
    assert (await sim_http.post("/v1/bridges/local-signal/login-sessions")).status_code == 409


def display_data(session: dict[str, Any]) -> str:
    return session["currentStep"]["display"]["data"]


async def test_single_account_and_flowless_bridges_refuse_new_sessions(
    sim_http: httpx.AsyncClient,
) -> None:
    matrix = await sim_http.post("/v1/bridges/matrix/login-sessions")
    assert matrix.status_code == 409
    assert (await sim_http.get("/v1/bridges/matrix/login-flows")).json() == {"items": []}


async def test_create_checks_flow_login_and_account(sim_http: httpx.AsyncClient) -> None:
    base = "/v1/bridges/local-whatsapp/login-sessions"
    unknown_flow = await sim_http.post(base, json={"flowID": "carrier-pigeon"})
    assert unknown_flow.status_code == 400
    assert unknown_flow.json()["details"]["issues"][0]["path"] == ["body", "flowID"]
    assert (await sim_http.post(base, json={"loginID": "nobody"})).status_code == 404
    assert (await sim_http.post(base, json={"accountID": "discordgo"})).status_code == 404
    mismatch = await sim_http.post(
        base,
        json={
            "loginID": "ba_EvYDBBsZbRQAy3UOSWqG0LuTVkc",
            "accountID": "local-whatsapp_ba_V29ya1Bob25lRm9yVGVzdHM",
        },
    )
    assert mismatch.status_code == 400


async def test_remove_honours_the_offered_scopes(sim_http: httpx.AsyncClient) -> None:
    login = (await sim_http.get("/v1/bridges/discordgo/logins/221590782384013314")).json()
    assert login["removeScopes"] == ["all-devices"]
    path = "/v1/bridges/discordgo/logins/221590782384013314/remove"
    refused = await sim_http.post(path, json={"scope": "current-device"})
    assert refused.status_code == 400
    assert refused.json()["details"]["issues"][0]["path"] == ["body", "scope"]
    assert (await sim_http.post(path, json={})).status_code == 400
    assert (await bridges(sim_http))["discordgo"]["activeAccountCount"] == 1
    removed = (await sim_http.post(path, json={"scope": "all-devices"})).json()
    assert removed == {
        "bridgeID": "discordgo",
        "loginID": "221590782384013314",
        "scope": "all-devices",
        "status": "removed",
        "affectedAccountIDs": ["discordgo"],
    }
    discord = (await bridges(sim_http))["discordgo"]
    assert (discord["activeAccountCount"], discord["status"]) == (0, "available")
    assert (await sim_http.get("/v1/accounts/discordgo")).status_code == 404
    assert (await sim_http.post(path, json={"scope": "all-devices"})).status_code == 404


async def test_removing_a_shared_login_removes_all_its_accounts(
    sim_http: httpx.AsyncClient,
) -> None:
    removed = await sim_http.post(
        "/v1/bridges/slackgo/logins/T01ACME0001-U02JAMIE001/remove", json={"scope": "all-devices"}
    )
    assert len(removed.json()["affectedAccountIDs"]) == 2
    assert (await bridges(sim_http))["slackgo"]["activeAccountCount"] == 1


async def test_removing_frees_a_limited_bridge(sim_http: httpx.AsyncClient) -> None:
    twitter = (await bridges(sim_http))["twitter"]
    login_id = twitter["accounts"][0]["loginID"]
    await sim_http.post(
        f"/v1/bridges/twitter/logins/{login_id}/remove", json={"scope": "all-devices"}
    )
    assert (await bridges(sim_http))["twitter"]["status"] == "available"
    assert (await sim_http.post("/v1/bridges/twitter/login-sessions")).status_code == 200


async def test_login_status_follows_its_accounts(sim_http: httpx.AsyncClient, world: World) -> None:
    path = "/v1/bridges/local-whatsapp/logins/ba_Qm9uZGF5TW9ybmluZ0NvZmZlZQ"
    login = (await sim_http.get(path)).json()
    assert login["status"] == "needs_login" and login["statusText"]
    world.set_account_status("local-whatsapp_ba_Qm9uZGF5TW9ybmluZ0NvZmZlZQ", "connected")
    assert (await sim_http.get(path)).json()["status"] == "connected"


async def test_live_changes_flip_an_account_on_refresh(
    sim_http: httpx.AsyncClient, world: World, clock: ManualClock
) -> None:
    world.live_changes = True
    before = {a["accountID"]: a["status"] for a in (await sim_http.get("/v1/accounts")).json()}
    clock.advance(max(world.live_every))
    after = {a["accountID"]: a["status"] for a in (await sim_http.get("/v1/accounts")).json()}
    assert sum(before[k] != after[k] for k in before) == 1


async def test_without_live_changes_nothing_moves(
    sim_http: httpx.AsyncClient, clock: ManualClock
) -> None:
    first = (await sim_http.get("/v1/bridges")).json()
    clock.advance(3600)
    assert (await sim_http.get("/v1/bridges")).json() == first
