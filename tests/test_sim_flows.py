"""Each scripted login flow, driven to its end over raw HTTP, plus the long-poll's behaviour."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
import pytest

from beeper_tui.api.models import SESSION_ENDED, SESSION_STATUSES
from beeper_tui.sim import ManualClock, World
from beeper_tui.sim.steps import KINDS, SUBMIT_TYPES, Step

Session = dict[str, Any]


@pytest.fixture
def clock(world: World) -> ManualClock:
    """The world's time for this test: it passes only when the test says."""
    clock = ManualClock()
    world.clock = clock
    return clock


async def start(http: httpx.AsyncClient, bridge: str, **body: str) -> Session:
    answer = await http.post(f"/v1/bridges/{bridge}/login-sessions", json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()


def session_path(session: Session) -> str:
    return f"/v1/bridges/{session['bridgeID']}/login-sessions/{session['loginSessionID']}"


async def submit(http: httpx.AsyncClient, session: Session, **body: Any) -> httpx.Response:
    step_id = session["currentStep"]["stepID"]
    return await http.post(f"{session_path(session)}/steps/{step_id}", json=body)


async def fill(http: httpx.AsyncClient, session: Session, **fields: str) -> Session:
    answer = await submit(http, session, type="user_input", fields=fields)
    assert answer.status_code == 200, answer.text
    return answer.json()


def wait_display(http: httpx.AsyncClient, session: Session) -> asyncio.Task[httpx.Response]:
    """Start the display_and_wait long-poll in the background."""
    return asyncio.create_task(submit(http, session, type="display_and_wait"))


async def waiting_display(
    http: httpx.AsyncClient, world: World, session: Session
) -> asyncio.Task[httpx.Response]:
    """The display_and_wait long-poll, once it waits in the simulator."""
    waiting = wait_display(http, session)
    await world.until_waiting(session["loginSessionID"])
    assert not waiting.done(), "the long-poll returned before anything happened"
    return waiting


async def answer_of(waiting: asyncio.Task[httpx.Response]) -> Session:
    answer = await asyncio.wait_for(waiting, 2)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def scanned(http: httpx.AsyncClient, world: World, session: Session) -> Session:
    """Long-poll the displayed step while the phone side scans it; the answer."""
    waiting = await waiting_display(http, world, session)
    assert world.scan(session["loginSessionID"]) == 1
    return await answer_of(waiting)


async def after(
    http: httpx.AsyncClient, world: World, clock: ManualClock, session: Session, seconds: float
) -> Session:
    """Long-poll the displayed step while ``seconds`` pass; the answer."""
    waiting = await waiting_display(http, world, session)
    clock.advance(seconds)
    return await answer_of(waiting)


def display(session: Session) -> dict[str, Any]:
    assert session["currentStep"]["type"] == "display_and_wait"
    return session["currentStep"]["display"]


async def test_whatsapp_qr_scan_adds_an_account_that_finishes_backfilling(
    sim_http: httpx.AsyncClient, world: World, clock: ManualClock
) -> None:
    before = (await sim_http.get("/v1/bridges/local-whatsapp")).json()["activeAccountCount"]
    session = await start(sim_http, "local-whatsapp")
    qr = display(session)["data"]
    assert qr.startswith("2@") and 100 <= len(qr) <= 255 and qr.count(",") == 3
    done = await scanned(sim_http, world, session)
    assert done["status"] == "complete" and "currentStep" not in done
    account = done["account"]
    assert done["accountID"] == account["accountID"] and done["loginID"] == account["loginID"]
    assert account["status"] == "backfilling"
    bridge = (await sim_http.get("/v1/bridges/local-whatsapp")).json()
    assert bridge["activeAccountCount"] == before + 1
    clock.advance(world.backfill_seconds)
    settled = (await sim_http.get(f"/v1/accounts/{account['accountID']}")).json()
    assert settled["status"] == "connected"
    assert world.open_session_count == 0


async def test_whatsapp_qr_rotates_under_the_same_step_then_times_out(
    sim_http: httpx.AsyncClient, world: World, clock: ManualClock
) -> None:
    world.qr_rotations = 3
    session = await start(sim_http, "local-whatsapp")
    step_id = session["currentStep"]["stepID"]
    codes = [display(session)["data"]]
    for due in (world.qr_rotate_first, world.qr_rotate_every):
        session = await after(sim_http, world, clock, session, due)
        assert session["status"] == "waiting_for_display"
        assert session["currentStep"]["stepID"] == step_id
        codes.append(display(session)["data"])
    assert len(set(codes)) == 3
    answer = await after(sim_http, world, clock, session, world.qr_rotate_every)
    assert answer["status"] == "failed"
    assert answer["error"]["code"] == "timeout" and answer["error"]["message"]
    assert "currentStep" not in answer
    assert world.open_session_count == 0


async def test_forced_rotation_answers_the_waiting_long_poll(
    sim_http: httpx.AsyncClient, world: World
) -> None:
    session = await start(sim_http, "local-whatsapp")
    waiting = await waiting_display(sim_http, world, session)
    assert world.rotate_qr() == 1
    rotated = await answer_of(waiting)
    assert rotated["currentStep"]["stepID"] == session["currentStep"]["stepID"]
    assert display(rotated)["data"] != display(session)["data"]


async def test_several_waiters_join_the_same_wait(
    sim_http: httpx.AsyncClient, world: World
) -> None:
    session = await start(sim_http, "local-signal")
    first, second = wait_display(sim_http, session), wait_display(sim_http, session)
    await world.until_waiting(session["loginSessionID"], count=2)
    world.scan()
    answers = [(await asyncio.wait_for(t, 2)).json() for t in (first, second)]
    assert [a["status"] for a in answers] == ["complete", "complete"]
    assert answers[0]["accountID"] == answers[1]["accountID"]
    assert world.waiting_long_polls(session["loginSessionID"]) == 0


async def test_autoscan_completes_a_display_by_itself(
    sim_http: httpx.AsyncClient, world: World, clock: ManualClock
) -> None:
    world.autoscan = 4.0
    session = await start(sim_http, "local-gmessages")
    emoji = await after(sim_http, world, clock, session, world.autoscan)
    assert display(emoji)["type"] == "emoji"
    done = await after(sim_http, world, clock, emoji, world.autoscan)
    assert done["status"] == "complete"


async def test_long_poll_gives_up_after_its_maximum_unchanged(
    sim_http: httpx.AsyncClient, world: World, clock: ManualClock
) -> None:
    world.long_poll_max = 25.0  # before the QR's first rotation
    session = await start(sim_http, "local-whatsapp")
    same = await after(sim_http, world, clock, session, world.long_poll_max)
    assert same["currentStep"] == session["currentStep"]


async def test_cancel_ends_the_waiting_long_poll(sim_http: httpx.AsyncClient, world: World) -> None:
    session = await start(sim_http, "local-whatsapp")
    waiting = await waiting_display(sim_http, world, session)
    cancelled = await sim_http.delete(session_path(session))
    assert cancelled.json() == {
        "bridgeID": "local-whatsapp",
        "loginSessionID": session["loginSessionID"],
        "status": "cancelled",
    }
    assert (await asyncio.wait_for(waiting, 2)).json()["status"] == "cancelled"
    assert world.open_session_count == 0
    still_there = (await sim_http.get(session_path(session))).json()
    assert still_there["status"] == "cancelled" and "currentStep" not in still_there


async def test_whatsapp_phone_pairing_cleans_the_number_and_shows_a_code(
    sim_http: httpx.AsyncClient, world: World
) -> None:
    session = await start(sim_http, "local-whatsapp", flowID="phone")
    code = await fill(sim_http, session, phone_number="+1 (555) 010-4242")
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", display(code)["data"])
    done = await scanned(sim_http, world, code)
    assert done["account"]["user"]["phoneNumber"] == "+15550104242"


@pytest.mark.parametrize("number", ["555 0101", "+1 555 CALL NOW", "+"])
async def test_bad_phone_number_is_a_400_and_the_step_stays(
    sim_http: httpx.AsyncClient, number: str
) -> None:
    session = await start(sim_http, "telegram")
    answer = await submit(sim_http, session, type="user_input", fields={"phone_number": number})
    assert answer.status_code == 400
    issues = answer.json()["details"]["issues"]
    assert issues[0]["path"] == ["body", "fields", "phone_number"]
    again = (await sim_http.get(session_path(session))).json()
    assert again["status"] == "waiting_for_input"
    assert again["currentStep"]["stepID"] == session["currentStep"]["stepID"]


async def test_telegram_phone_code_password_completes(sim_http: httpx.AsyncClient) -> None:
    session = await start(sim_http, "telegram")
    code_step = await fill(sim_http, session, phone_number="+44 7700 900 555")
    field = code_step["currentStep"]["fields"][0]
    assert field["type"] == "2fa_code" and field["pattern"]
    password_step = await fill(sim_http, code_step, code="12345")
    assert password_step["currentStep"]["fields"][0]["type"] == "password"
    done = await fill(sim_http, password_step, password="correct horse")
    assert done["status"] == "complete"
    assert done["account"]["user"]["phoneNumber"] == "+447700900555"


async def test_telegram_wrong_code_fails_the_session(
    sim_http: httpx.AsyncClient, world: World
) -> None:
    session = await start(sim_http, "telegram")
    code_step = await fill(sim_http, session, phone_number="+447700900555")
    not_digits = await submit(sim_http, code_step, type="user_input", fields={"code": "abcde"})
    assert not_digits.status_code == 400
    failed = await fill(sim_http, code_step, code="54321")
    assert failed["status"] == "failed"
    assert failed["error"]["code"] == "invalid_code"
    assert world.open_session_count == 0
    late = await submit(sim_http, code_step, type="user_input", fields={"code": "12345"})
    assert late.status_code == 409


async def test_google_messages_qr_then_emoji(sim_http: httpx.AsyncClient, world: World) -> None:
    session = await start(sim_http, "local-gmessages")
    assert display(session)["type"] == "qr"
    emoji = await scanned(sim_http, world, session)
    url = display(emoji)["imageURL"]
    assert re.fullmatch(
        r"https://fonts\.gstatic\.com/s/e/notoemoji/latest/1f[0-9a-f]{3}/512\.png", url
    )
    done = await scanned(sim_http, world, emoji)
    assert done["status"] == "complete"


async def test_slack_cookies_complete_with_two_workspaces_on_one_login(
    sim_http: httpx.AsyncClient,
) -> None:
    before = (await sim_http.get("/v1/bridges/slackgo")).json()["activeAccountCount"]
    session = await start(sim_http, "slackgo")
    step = session["currentStep"]
    assert step["type"] == "cookies" and step["url"] == "https://app.slack.com/signin"
    assert {(f["type"], f["name"]) for f in step["fields"]} == {
        ("cookie", "d"),
        ("local_storage", "localConfig_v2"),
    }
    assert step["userAgent"] and step["expectedFinalURLRegex"] and step["extractJS"]
    missing = await submit(sim_http, session, type="cookies", fields={"token": "xoxc-1"})
    assert missing.json()["details"]["issues"][0]["path"] == ["body", "fields", "d"]
    wrong = await submit(sim_http, session, type="cookies", fields={"token": "abc", "d": "xoxd-2"})
    assert wrong.status_code == 400
    done = await submit(
        sim_http,
        session,
        type="cookies",
        fields={"token": "xoxc-123-456", "d": "xoxd-abc%2Fdef"},
        lastURL="https://app.slack.com/client/T1/C1",
        source="api",
    )
    done_body = done.json()
    assert done_body["status"] == "complete"
    assert len(done_body["login"]["accountIDs"]) == 2
    bridge = (await sim_http.get("/v1/bridges/slackgo")).json()
    assert bridge["activeAccountCount"] == before + 2
    login_id = done_body["loginID"]
    assert sum(a["loginID"] == login_id for a in bridge["accounts"]) == 2


async def test_instagram_cookies_ask_for_cookies_and_a_header(sim_http: httpx.AsyncClient) -> None:
    session = await start(sim_http, "instagramgo")
    fields = session["currentStep"]["fields"]
    cookies = {f["name"] for f in fields if f["type"] == "cookie"}
    assert cookies == {"sessionid", "csrftoken", "ds_user_id", "mid"}
    assert [f["type"] for f in fields].count("header") == 1
    values = {f["id"]: "value-1" for f in fields} | {"ds_user_id": "1784140000"}
    done = (await submit(sim_http, session, type="cookies", fields=values)).json()
    assert done["status"] == "complete"


async def test_discord_offers_qr_and_token_flows(sim_http: httpx.AsyncClient, world: World) -> None:
    flows = (await sim_http.get("/v1/bridges/discordgo/login-flows")).json()["items"]
    assert [f["id"] for f in flows] == ["qr", "token"]
    assert all(f["name"] and f["description"] for f in flows)
    default = await start(sim_http, "discordgo")
    assert display(default)["data"].startswith("https://discord.com/ra/")
    by_token = await start(sim_http, "discordgo", flowID="token")
    assert by_token["currentStep"]["fields"][0]["type"] == "token"
    done = await fill(sim_http, by_token, token="MTA.x.y")
    assert done["status"] == "complete"
    assert world.open_session_count == 1  # the QR session is still open


async def test_unknown_step_type_can_only_be_cancelled(
    sim_http: httpx.AsyncClient, world: World
) -> None:
    session = await start(sim_http, "local-linkedin")
    assert session["currentStep"]["type"] == "webauthn"
    for kind in ("user_input", "display_and_wait"):
        answer = await submit(sim_http, session, type=kind)
        assert answer.status_code == 400
        assert answer.json()["code"] == "unsupported_step"
    await sim_http.delete(session_path(session))
    assert world.open_session_count == 0


async def test_bluesky_waits_for_approval_with_nothing_displayed(
    sim_http: httpx.AsyncClient, world: World
) -> None:
    session = await start(sim_http, "bluesky")
    bad = await submit(
        sim_http, session, type="user_input", fields={"username": "me", "password": "hunter2"}
    )
    assert bad.json()["details"]["issues"][0]["path"] == ["body", "fields", "password"]
    waiting = await fill(
        sim_http, session, username="me.bsky.social", password="abcd-efgh-ijkl-mnop"
    )
    assert display(waiting) == {"type": "nothing"}
    assert "approval" in waiting["currentStep"]["instructions"]
    done = await scanned(sim_http, world, waiting)
    assert done["account"]["user"]["username"] == "me.bsky.social"


async def test_self_hosted_irc_form_checks_select_and_pattern(sim_http: httpx.AsyncClient) -> None:
    session = await start(sim_http, "sh-irc")
    fields = {f["id"]: f for f in session["currentStep"]["fields"]}
    assert fields["network"]["type"] == "select" and "OFTC" in fields["network"]["options"]
    assert fields["server"]["optional"] is True
    answer = await submit(
        sim_http,
        session,
        type="user_input",
        fields={"network": "Freenode", "server": "not a domain", "username": "has space"},
    )
    issues = {tuple(i["path"]): i["code"] for i in answer.json()["details"]["issues"]}
    assert issues == {
        ("body", "fields", "network"): "invalid_enum_value",
        ("body", "fields", "server"): "invalid_string",
        ("body", "fields", "username"): "invalid_string",
    }
    done = await fill(sim_http, session, network="OFTC", username="n1ck")
    assert done["status"] == "complete"


async def test_email_field_needs_an_at_sign(sim_http: httpx.AsyncClient) -> None:
    session = await start(sim_http, "googlechat", accountID="googlechat_108234567890123456789")
    answer = await submit(sim_http, session, type="user_input", fields={"email": "jordan"})
    assert answer.json()["details"]["issues"][0]["code"] == "invalid_string"
    waiting = await fill(sim_http, session, email="jordan@northwind.example")
    assert display(waiting)["type"] == "nothing"


async def test_wrong_step_or_type_is_refused(sim_http: httpx.AsyncClient) -> None:
    session = await start(sim_http, "telegram")
    path = session_path(session)
    wrong_step = await sim_http.post(
        f"{path}/steps/not-this-one", json={"type": "user_input", "fields": {}}
    )
    assert wrong_step.status_code == 409 and wrong_step.json()["code"] == "step_mismatch"
    wrong_type = await submit(sim_http, session, type="cookies", fields={})
    assert wrong_type.status_code == 400
    assert wrong_type.json()["details"]["issues"][0]["path"] == ["body", "type"]
    no_type = await submit(sim_http, session)
    assert no_type.status_code == 400


async def test_sessions_expire_after_their_ttl(
    sim_http: httpx.AsyncClient, world: World, clock: ManualClock
) -> None:
    session = await start(sim_http, "telegram")
    clock.advance(world.session_ttl - 1)
    assert world.open_session_count == 1
    clock.advance(1)
    assert world.open_session_count == 0
    assert (await sim_http.get(session_path(session))).status_code == 404


async def test_expire_session_answers_a_waiting_long_poll_with_404(
    sim_http: httpx.AsyncClient, world: World
) -> None:
    session = await start(sim_http, "local-signal")
    waiting = await waiting_display(sim_http, world, session)
    world.expire_session(session["loginSessionID"])
    assert (await asyncio.wait_for(waiting, 2)).status_code == 404
    assert world.open_session_count == 0


def test_every_kind_of_step_is_listed_and_the_submit_types_follow() -> None:
    """A new kind of step is one class in sim/steps.py plus its entry in KINDS; the request
    body's ``type`` enum then follows by itself."""
    assert set(Step.__subclasses__()) == set(KINDS)
    assert SUBMIT_TYPES == ("user_input", "cookies", "display_and_wait")
    assert len({kind.status for kind in KINDS if kind.submit_type}) == len(SUBMIT_TYPES)
    assert {kind.status for kind in KINDS} <= set(SESSION_STATUSES) - SESSION_ENDED
