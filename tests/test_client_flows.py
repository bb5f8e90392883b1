"""Every simulated login flow walked end to end through ``BeeperClient``, the way the wizard
drives it: create a session, submit each step, keep the display_and_wait long-poll open in a
task while the test plays the phone side (``world.scan()`` / ``world.rotate_qr()``).

Each test takes no fixture and opens its own world with ``sim_client``, so
test_conformance.py can replay these walks while recording the traffic and hold every
response against the official document and SDK.
"""

from __future__ import annotations

import asyncio
import re

import pytest

from beeper_tui.api import errors
from beeper_tui.api.client import BeeperClient
from beeper_tui.api.models import (
    CodeDisplay,
    CookiesStep,
    DisplayAndWaitStep,
    EmojiDisplay,
    LoginSession,
    QRDisplay,
    UnknownStep,
    UserInputStep,
    step_kind,
)
from beeper_tui.sim import ManualClock, World, build_demo_world
from tests.support import wait_for
from tests.support.contract import long_poll, scanned, sim_client, until_waiting

WAITING_ACCOUNT = "local-whatsapp_ba_Qm9uZGF5TW9ybmluZ0NvZmZlZQ"  # reconnect_required
SLACK_SHARED_LOGIN = "T01ACME0001-U02JAMIE001"  # two workspaces on one login


def display_of(session: LoginSession) -> object:
    step = session.current_step
    assert isinstance(step, DisplayAndWaitStep)
    return step.display


def assert_complete(session: LoginSession) -> None:
    assert session.status == "complete", session.error
    assert session.ended and session.current_step is None
    assert session.account is not None and session.login is not None
    assert session.account_id == session.account.account_id


async def account_count(client: BeeperClient, bridge_id: str) -> int:
    bridge = await client.bridge(bridge_id)
    assert bridge.active_account_count == len(bridge.accounts)
    return bridge.active_account_count


async def submit(
    client: BeeperClient, session: LoginSession, fields: dict[str, str], **options: str
) -> LoginSession:
    """Submit the session's form or cookies step with ``fields``; the session after it."""
    step = session.current_step
    assert isinstance(step, UserInputStep | CookiesStep), f"not a step with fields: {step!r}"
    return await client.submit_step(
        session.bridge_id,
        session.login_session_id,
        step.step_id,
        type=step.type,
        fields=fields,
        **options,
    )


# --- QR, code and emoji displays -----------------------------------------------------------------


async def test_whatsapp_qr_scan_connects_a_new_account() -> None:
    async with sim_client() as (world, client):
        before = await account_count(client, "local-whatsapp")
        session = await client.create_login_session("local-whatsapp")
        assert session.status == "waiting_for_display"
        assert step_kind(session.current_step) == "qr"
        qr = display_of(session)
        assert isinstance(qr, QRDisplay) and qr.data.startswith("2@")

        done = await scanned(client, world, session)

        assert_complete(done)
        assert done.account is not None and done.account.bridge.id == "local-whatsapp"
        assert await account_count(client, "local-whatsapp") == before + 1
        new = {a.account_id: a for a in (await client.bridge("local-whatsapp")).accounts}
        assert new[done.account.account_id].status == "backfilling"
        assert world.open_session_count == 0


async def after(
    client: BeeperClient, world: World, clock: ManualClock, session: LoginSession, seconds: float
) -> LoginSession:
    """Keep the displayed step's long-poll open while ``seconds`` pass; the next session."""
    task = long_poll(client, session)
    await until_waiting(world, task)
    clock.advance(seconds)
    return await asyncio.wait_for(task, 2)


async def test_whatsapp_qr_rotates_under_the_same_step_then_times_out() -> None:
    clock = ManualClock()
    world = build_demo_world(qr_rotations=3, clock=clock)
    async with sim_client(world) as (world, client):
        session = await client.create_login_session("local-whatsapp", flow_id="qr")
        step = session.current_step
        assert isinstance(step, DisplayAndWaitStep)
        shown = [display_of(session)]
        for due in (world.qr_rotate_first, world.qr_rotate_every):  # nobody scans: new codes
            session = await after(client, world, clock, session, due)
            assert session.status == "waiting_for_display"
            assert isinstance(session.current_step, DisplayAndWaitStep)
            assert session.current_step.step_id == step.step_id
            shown.append(display_of(session))
        codes = [d.data for d in shown if isinstance(d, QRDisplay)]
        assert len(codes) == 3 and len(set(codes)) == 3

        failed = await after(client, world, clock, session, world.qr_rotate_every)

        assert failed.status == "failed" and failed.current_step is None
        assert failed.error is not None and failed.error.code == "timeout"
        assert "expired" in failed.error.message
        assert world.open_session_count == 0


async def test_forced_qr_rotation_answers_the_waiting_long_poll() -> None:
    async with sim_client() as (world, client):
        session = await client.create_login_session("local-whatsapp")
        first = display_of(session)
        task = long_poll(client, session)
        await until_waiting(world, task)
        assert world.rotate_qr(session.login_session_id) == 1
        rotated = await asyncio.wait_for(task, 2)
        second = display_of(rotated)
        assert isinstance(first, QRDisplay) and isinstance(second, QRDisplay)
        assert second.data != first.data
        assert_complete(await scanned(client, world, rotated))


async def test_whatsapp_phone_pairing_shows_a_code_to_type_on_the_phone() -> None:
    async with sim_client() as (world, client):
        session = await client.create_login_session("local-whatsapp", flow_id="phone")
        step = session.current_step
        assert isinstance(step, UserInputStep) and step.fields[0].type == "phone_number"
        session = await submit(client, session, {step.fields[0].id: "+1 (555) 010-1234"})
        assert step_kind(session.current_step) == "code"
        code = display_of(session)
        assert isinstance(code, CodeDisplay) and re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code.data)

        done = await scanned(client, world, session)

        assert_complete(done)
        assert done.account is not None and done.account.user.phone_number == "+15550101234"


async def test_signal_qr_adds_the_second_account_and_reaches_the_limit() -> None:
    async with sim_client() as (world, client):
        bridge = await client.bridge("local-signal")
        assert (bridge.active_account_count, bridge.status) == (1, "connected")
        session = await client.create_login_session("local-signal")
        qr = display_of(session)
        assert isinstance(qr, QRDisplay) and qr.data.startswith("sgnl://linkdevice?uuid=")

        assert_complete(await scanned(client, world, session))

        bridge = await client.bridge("local-signal")
        assert (bridge.active_account_count, bridge.status) == (2, "limit_reached")
        assert not bridge.can_add_account
        with pytest.raises(errors.Conflict) as refused:
            await client.create_login_session("local-signal")
        assert "limit" in str(refused.value).lower()
        assert world.open_session_count == 0


async def test_google_messages_pairs_with_a_qr_then_an_emoji() -> None:
    async with sim_client() as (world, client):
        session = await client.create_login_session("local-gmessages")
        assert step_kind(session.current_step) == "qr"
        session = await scanned(client, world, session)
        assert step_kind(session.current_step) == "emoji"
        emoji = display_of(session)
        assert isinstance(emoji, EmojiDisplay)
        assert re.search(r"/notoemoji/latest/[0-9a-f]+/512\.png$", emoji.image_url)
        assert_complete(await scanned(client, world, session))


async def test_discord_qr_flow_connects() -> None:
    async with sim_client() as (world, client):
        session = await client.create_login_session("discordgo", flow_id="qr")
        qr = display_of(session)
        assert isinstance(qr, QRDisplay) and qr.data.startswith("https://discord.com/ra/")
        assert_complete(await scanned(client, world, session))


async def test_nothing_display_waits_for_approval_on_the_other_device() -> None:
    async with sim_client() as (world, client):
        session = await client.create_login_session("bluesky")
        step = session.current_step
        assert isinstance(step, UserInputStep)
        assert [f.id for f in step.fields] == ["username", "password"]
        assert step.fields[1].pattern is not None and step.fields[1].description
        session = await submit(
            client, session, {"username": "amara.bsky.social", "password": "abcd-efgh-ijkl-mnop"}
        )
        assert step_kind(session.current_step) == "nothing"
        done = await scanned(client, world, session)
        assert_complete(done)
        assert done.account is not None and done.account.user.username == "amara.bsky.social"


async def test_long_poll_is_resubmitted_until_the_qr_is_scanned() -> None:
    async with sim_client(long_poll_timeout=0.1) as (world, client):
        session = await client.create_login_session("local-signal")
        step = session.current_step
        assert isinstance(step, DisplayAndWaitStep)

        def submits() -> int:
            return sum(m == "POST" and p.endswith(f"/{step.step_id}") for m, p in world.requests)

        task = long_poll(client, session)
        await wait_for(  # the first wait runs out twice, re-submitted each time
            None,
            lambda: submits() >= 3 and world.waiting_long_polls(session.login_session_id),
            what="the third long-poll",
        )
        assert not task.done()
        assert world.scan(session.login_session_id) == 1
        done = await asyncio.wait_for(task, 2)
    assert_complete(done)


# --- Forms and cookies -------------------------------------------------------------------------


async def test_telegram_asks_phone_then_code_then_password() -> None:
    async with sim_client() as (world, client):
        session = await client.create_login_session("telegram")
        answers = [
            ("phone_number", "+44 7700 900123"),
            ("code", "12345"),
            ("password", "Biscuit"),
        ]
        for field_id, value in answers:
            step = session.current_step
            assert isinstance(step, UserInputStep)
            assert [f.id for f in step.fields] == [field_id]
            session = await submit(client, session, {field_id: value})
        assert_complete(session)
        assert session.account is not None
        assert session.account.user.phone_number == "+447700900123"
        assert world.open_session_count == 0


async def test_telegram_wrong_code_fails_the_session_with_an_error() -> None:
    async with sim_client() as (world, client):
        session = await client.create_login_session("telegram")
        for field_id, value in (("phone_number", "+447700900123"), ("code", "54321")):
            step = session.current_step
            assert isinstance(step, UserInputStep)
            session = await submit(client, session, {field_id: value})
        assert session.status == "failed" and session.current_step is None
        assert session.error is not None and session.error.code == "invalid_code"
        assert "not correct" in session.error.message
        assert world.open_session_count == 0


async def test_slack_cookies_connect_two_workspaces_on_one_login() -> None:
    async with sim_client() as (_, client):
        before = await account_count(client, "slackgo")
        session = await client.create_login_session("slackgo")
        step = session.current_step
        assert isinstance(step, CookiesStep) and session.status == "waiting_for_cookies"
        assert {(f.id, f.type) for f in step.fields} == {
            ("token", "local_storage"),
            ("d", "cookie"),
        }
        with pytest.raises(errors.Invalid) as refused:  # the d cookie is not a Slack one
            await submit(
                client, session, {"token": "xoxc-1-2-3", "d": "not-a-slack-cookie"}, source="api"
            )
        assert [issue.path for issue in refused.value.issues] == [["body", "fields", "d"]]
        still = await client.login_session("slackgo", session.login_session_id)
        assert still.status == "waiting_for_cookies"

        done = await submit(
            client,
            session,
            {"token": "xoxc-1-2-3", "d": "xoxd-abc%2Fdef"},
            last_url="https://app.slack.com/client/T0123/C0456",
            source="api",
        )

        assert_complete(done)
        assert done.login is not None and done.login.account_ids is not None
        assert len(done.login.account_ids) == 2
        assert await account_count(client, "slackgo") == before + 2
        login = await client.login("slackgo", done.login.login_id)
        assert sorted(login.account_ids or []) == sorted(done.login.account_ids)


async def test_instagram_cookies_include_a_header() -> None:
    async with sim_client() as (_, client):
        session = await client.create_login_session("instagramgo")
        step = session.current_step
        assert isinstance(step, CookiesStep)
        assert step.url.startswith("https://www.instagram.com/")
        kinds = {f.name: f.type for f in step.fields}
        assert kinds["X-IG-WWW-Claim"] == "header" and kinds["sessionid"] == "cookie"
        values = {
            "sessionid": "1784%3AaBc",
            "csrftoken": "Tk9u",
            "ds_user_id": "17841400000000999",
            "mid": "ZmlkZGxl",
            "x-ig-www-claim": "hmac.AR3x",
        }
        done = await submit(client, session, values, source="api")
        assert_complete(done)


async def test_discord_token_flow_connects() -> None:
    async with sim_client() as (_, client):
        session = await client.create_login_session("discordgo", flow_id="token")
        step = session.current_step
        assert isinstance(step, UserInputStep) and step.fields[0].type == "token"
        done = await submit(client, session, {"token": "MTIzNDU2Nzg5.abc.def"})
        assert_complete(done)


# --- Steps we cannot drive, flows, reconnects, removal, ends --------------------------------------


async def test_unknown_step_type_keeps_its_raw_json_and_can_be_cancelled() -> None:
    async with sim_client() as (world, client):
        session = await client.create_login_session("local-linkedin", flow_id="passkey")
        step = session.current_step
        assert isinstance(step, UnknownStep) and step_kind(step) == "unknown"
        assert step.type == "webauthn" and step.step_id == "com.linkedin.passkey"
        assert step.raw["rpID"] == "www.linkedin.com" and step.raw["type"] == "webauthn"
        assert step.instructions

        cancelled = await client.cancel_login_session("local-linkedin", session.login_session_id)

        assert cancelled.status == "cancelled"
        assert cancelled.login_session_id == session.login_session_id
        after = await client.login_session("local-linkedin", session.login_session_id)
        assert after.status == "cancelled" and after.current_step is None
        assert world.open_session_count == 0


async def test_bridges_with_several_flows_list_them_default_first() -> None:
    async with sim_client() as (_, client):
        expected = {
            "local-whatsapp": ["qr", "phone"],
            "discordgo": ["qr", "token"],
            "local-linkedin": ["passkey", "cookies"],
        }
        for bridge_id, flow_ids in expected.items():
            flows = await client.login_flows(bridge_id)
            assert [f.id for f in flows] == flow_ids
            assert all(f.name and f.description for f in flows)
        assert await client.login_flows("matrix") == []


async def test_reconnect_keeps_the_account_id_and_the_count() -> None:
    async with sim_client() as (world, client):
        before = await client.bridge("local-whatsapp")
        broken = next(a for a in before.accounts if a.account_id == WAITING_ACCOUNT)
        assert broken.health.value == "needs attention" and broken.login_id

        session = await client.create_login_session("local-whatsapp", login_id=broken.login_id)
        assert (session.login_id, session.account_id) == (broken.login_id, WAITING_ACCOUNT)
        done = await scanned(client, world, session)

        assert_complete(done)
        assert done.account_id == WAITING_ACCOUNT and done.login_id == broken.login_id
        after = await client.bridge("local-whatsapp")
        assert after.active_account_count == before.active_account_count
        back = next(a for a in after.accounts if a.account_id == WAITING_ACCOUNT)
        assert back.status == "backfilling"


async def test_reconnect_by_account_works_on_an_unavailable_bridge() -> None:
    async with sim_client() as (world, client):
        bridge = await client.bridge("imessage")
        assert bridge.status == "temporarily_unavailable" and not bridge.can_add_account
        with pytest.raises(errors.Conflict):
            await client.create_login_session("imessage")
        account = bridge.accounts[0]
        session = await client.create_login_session("imessage", account_id=account.account_id)
        assert step_kind(session.current_step) == "nothing"
        done = await scanned(client, world, session)
        assert_complete(done)
        assert done.account_id == account.account_id


async def test_bridges_without_room_refuse_new_sessions_with_the_server_reason() -> None:
    async with sim_client() as (world, client):
        for bridge_id, reason in (
            ("matrix", "can't be signed in"),
            ("googlechat", "turned off"),
            ("twitter", "limit"),
        ):
            with pytest.raises(errors.Conflict) as refused:
                await client.create_login_session(bridge_id)
            assert reason in str(refused.value), str(refused.value)
        assert world.open_session_count == 0


async def test_remove_honours_the_offered_scopes_and_lists_affected_accounts() -> None:
    async with sim_client() as (_, client):
        before = await account_count(client, "slackgo")
        login = await client.login("slackgo", SLACK_SHARED_LOGIN)
        assert login.remove_scopes == ["all-devices"]
        assert login.account_ids is not None and len(login.account_ids) == 2
        with pytest.raises(errors.Invalid) as refused:
            await client.remove_login("slackgo", SLACK_SHARED_LOGIN, "current-device")
        assert refused.value.issues[0].path == ["body", "scope"]

        removed = await client.remove_login("slackgo", SLACK_SHARED_LOGIN, "all-devices")

        assert (removed.status, removed.scope) == ("removed", "all-devices")
        assert sorted(removed.affected_account_ids or []) == sorted(login.account_ids)
        assert await account_count(client, "slackgo") == before - 2
        with pytest.raises(errors.NotFound):
            await client.login("slackgo", SLACK_SHARED_LOGIN)
        local = await client.logins("local-whatsapp")
        assert all(x.remove_scopes == ["current-device", "all-devices"] for x in local)


async def test_cancel_ends_the_waiting_long_poll_and_closes_the_session() -> None:
    async with sim_client() as (world, client):
        session = await client.create_login_session("local-whatsapp")
        task = long_poll(client, session)
        await until_waiting(world, task)
        assert world.open_session_count == 1

        cancelled = await client.cancel_login_session("local-whatsapp", session.login_session_id)

        assert cancelled.status == "cancelled"
        answer = await asyncio.wait_for(task, 2)
        assert answer.status == "cancelled" and answer.ended
        assert world.open_session_count == 0


async def test_expired_session_is_not_found() -> None:
    async with sim_client() as (world, client):
        session = await client.create_login_session("telegram")
        step = session.current_step
        assert isinstance(step, UserInputStep)
        world.expire_session(session.login_session_id)
        with pytest.raises(errors.NotFound) as gone:
            await client.login_session("telegram", session.login_session_id)
        assert "expired" in str(gone.value)
        with pytest.raises(errors.NotFound):
            await submit(client, session, {"phone_number": "+447700900123"})
        assert world.open_session_count == 0


async def test_reads_return_what_the_world_holds() -> None:
    async with sim_client() as (world, client):
        info = await client.info()
        assert info.app.version == world.app_version and info.server.status == "running"
        accounts = await client.accounts()
        assert {a.account_id for a in accounts} == set(world.accounts)
        bridges = await client.bridges()
        assert [b.id for b in bridges] == list(world.bridges)
        assert sum(b.active_account_count for b in bridges) == len(world.accounts)
        assert client.server_version == world.app_version
        logins = await client.logins("telegram")
        assert {x.login_id for x in logins} == {"528914776", "913377001"}
        assert (await client.login("telegram", "913377001")).status == "connecting"
