"""The login-session driver on its own: no app, no Textual — a ``BeeperClient`` over the
simulator (``httpx.ASGITransport``), the world's ``ManualClock`` where time has to pass, and
``World.until_waiting`` before the phone side acts on a long-poll."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from beeper_tui.api import errors
from beeper_tui.api.client import BeeperClient
from beeper_tui.api.models import DisplayAndWaitStep, UserInputStep
from beeper_tui.sim import ManualClock, World
from beeper_tui.tui.login.driver import LoginSessionDriver
from beeper_tui.tui.login.open_sessions import OpenSessions
from tests.support import wait_for

SESSIONS = "/v1/bridges/{bridge}/login-sessions"


def polls(world: World, step_id: str) -> int:
    return sum(1 for m, p in world.requests if m == "POST" and p.endswith(f"/steps/{step_id}"))


def driver_on(client: BeeperClient, bridge: str) -> tuple[LoginSessionDriver, OpenSessions]:
    tracker = OpenSessions()
    return LoginSessionDriver(client, bridge, tracker=tracker), tracker


async def test_qr_flow_create_poll_complete(world: World, client: BeeperClient) -> None:
    driver, tracker = driver_on(client, "local-whatsapp")
    session = await driver.create(flow_id="qr")
    assert driver.open_id == session.login_session_id
    assert len(tracker) == 1 and world.open_session_count == 1
    assert driver.waiting and isinstance(driver.step, DisplayAndWaitStep)

    poll = asyncio.create_task(driver.wait())
    await world.until_waiting()
    assert not poll.done(), "a display_and_wait submit waits for the phone"
    world.scan()
    answer = await poll
    assert answer is not None and answer.status == "complete"
    assert driver.open_id is None and not driver.waiting
    assert len(tracker) == 0 and world.open_session_count == 0
    assert await driver.close(), "nothing left to cancel"
    assert not any(m == "DELETE" for m, _ in world.requests)


async def test_a_rotated_qr_is_an_answer_and_the_poll_goes_on(
    world: World, client: BeeperClient
) -> None:
    clock = world.clock = ManualClock()
    driver, _ = driver_on(client, "local-whatsapp")
    first = await driver.create(flow_id="qr")
    assert isinstance(first.current_step, DisplayAndWaitStep)
    answers = driver.waits()
    poll = asyncio.ensure_future(anext(answers))
    await world.until_waiting()
    clock.advance(world.qr_rotate_first)  # WhatsApp shows a new code after a minute
    rotated = await poll
    step = rotated.current_step
    assert isinstance(step, DisplayAndWaitStep) and step.step_id == first.current_step.step_id
    assert step.display.data != first.current_step.display.data  # type: ignore[union-attr]
    assert driver.waiting, "the same step still waits: it is polled again"

    poll = asyncio.ensure_future(anext(answers))
    await world.until_waiting()
    assert polls(world, "fi.mau.whatsapp.qr") == 2, "the same step, submitted again"
    world.scan()
    done = await poll
    assert done.status == "complete"
    with pytest.raises(StopAsyncIteration):
        await anext(answers)
    assert world.open_session_count == 0


async def test_a_409_mid_poll_reads_the_session_back_and_follows_the_latest_step(
    world: World, client: BeeperClient
) -> None:
    driver, _ = driver_on(client, "local-gmessages")
    session = await driver.create()
    world.scan()  # the QR is scanned before the poll arrives: its stepID is stale
    answer = await asyncio.wait_for(driver.wait(), 5)
    session_path = SESSIONS.format(bridge="local-gmessages") + f"/{session.login_session_id}"
    assert ("GET", session_path) in world.requests, "the 409 was answered by a read"
    assert answer is not None
    step = answer.current_step
    assert isinstance(step, DisplayAndWaitStep) and step.display.type == "emoji"

    poll = asyncio.create_task(driver.wait())
    await world.until_waiting()
    world.scan()
    assert (await poll).status == "complete"  # type: ignore[union-attr]


async def test_submit_with_validation_issues_keeps_the_step_then_moves_on(
    world: World, client: BeeperClient
) -> None:
    driver, tracker = driver_on(client, "telegram")
    await driver.create()
    assert isinstance(driver.step, UserInputStep) and not driver.waiting
    with pytest.raises(errors.Invalid) as raised:
        await driver.submit(fields={"phone_number": "call me"})
    assert [issue.path[-1] for issue in raised.value.issues] == ["phone_number"]
    assert driver.open_id is not None and len(tracker) == 1, "the session stays on its step"

    answer = await driver.submit(fields={"phone_number": "+15550109999"})
    assert answer is not None and answer.current_step is not None
    assert answer.current_step.step_id == "fi.mau.telegram.code"
    await driver.submit(step_id="stale-widget-step", fields={"code": "12345"})
    assert ("POST", "/steps/fi.mau.telegram.code") in [
        (m, p[p.index("/steps/") :]) for m, p in world.requests if "/steps/" in p
    ], "the stepID of the latest answer is the one submitted"
    assert isinstance(driver.step, UserInputStep)
    assert driver.step.step_id == "fi.mau.telegram.password"
    assert await driver.cancel() and world.open_session_count == 0


async def test_reread_after_a_dropped_connection_carries_on(
    world: World, client: BeeperClient
) -> None:
    driver, tracker = driver_on(client, "local-whatsapp")
    first = await driver.create(flow_id="qr")
    world.faults.add("drop", path="/v1/bridges/local-whatsapp/login-sessions/*/steps/*")
    with pytest.raises(errors.BeeperError):
        await asyncio.wait_for(driver.wait(), 5)
    assert driver.open_id == first.login_session_id and len(tracker) == 1
    assert world.open_session_count == 1, "a dropped connection is not a cancel"
    world.rotate_qr()  # meanwhile the phone side moved on
    again = await driver.reread()
    assert again is not None and again.current_step != first.current_step
    assert driver.session == again and driver.waiting
    poll = asyncio.create_task(driver.wait())
    await world.until_waiting()
    world.scan()
    assert (await poll).status == "complete"  # type: ignore[union-attr]


async def test_cancel_leaves_no_open_session_on_the_world(
    world: World, client: BeeperClient
) -> None:
    driver, tracker = driver_on(client, "telegram")
    session = await driver.create()
    assert await driver.cancel()
    assert world.open_session_count == 0 and len(tracker) == 0 and driver.open_id is None
    assert world.sessions[session.login_session_id].status == "cancelled"
    path = SESSIONS.format(bridge="telegram") + f"/{session.login_session_id}"
    assert ("DELETE", path) in world.requests


async def test_a_session_already_gone_counts_as_cancelled(
    world: World, client: BeeperClient
) -> None:
    driver, tracker = driver_on(client, "telegram")
    session = await driver.create()
    world.expire_session(session.login_session_id)
    assert await driver.cancel()
    assert driver.open_id is None and len(tracker) == 0


async def test_a_failed_cancel_leaves_the_session_tracked_for_the_app(
    world: World, client: BeeperClient
) -> None:
    driver, tracker = driver_on(client, "telegram")
    await driver.create()
    world.faults.add("status", path="/v1/bridges/telegram/login-sessions/", method="DELETE")
    assert not await driver.cancel()
    assert driver.open_id is not None and len(tracker) == 1
    assert world.open_session_count == 1
    assert await tracker.cancel_all(client) == 0  # the app's safety net, as it quits
    assert len(tracker) == 0 and world.open_session_count == 0


async def test_the_cancels_that_fail_as_the_app_quits_are_counted(
    world: World, client: BeeperClient
) -> None:
    driver, tracker = driver_on(client, "telegram")
    await driver.create()
    world.faults.add(
        "status", path="/v1/bridges/telegram/login-sessions/", method="DELETE", times=None
    )
    assert await tracker.cancel_all(client) == 1  # told on stderr by the command line
    assert world.open_session_count == 1


async def test_cancel_of_a_create_still_in_flight(world: World, client: BeeperClient) -> None:
    world.faults.add("latency", path="/v1/bridges/telegram/login-sessions", delay=0.2)
    driver, tracker = driver_on(client, "telegram")
    creating = asyncio.create_task(driver.create())
    created = ("POST", SESSIONS.format(bridge="telegram"))
    await wait_for(None, lambda: created in world.requests, what="the create")
    creating.cancel()  # the person left while the server was still creating it
    with pytest.raises(asyncio.CancelledError):
        await creating
    assert world.sessions == {}, "the create is still on its way"
    assert await driver.close()
    assert len(world.sessions) == 1, "the shielded create went through"
    assert world.open_session_count == 0 and len(tracker) == 0


async def test_a_gone_session_is_forgotten_and_says_not_found(
    world: World, client: BeeperClient
) -> None:
    driver, tracker = driver_on(client, "local-whatsapp")
    session = await driver.create(flow_id="qr")
    poll = asyncio.create_task(driver.wait())
    await world.until_waiting()
    world.expire_session(session.login_session_id)
    with pytest.raises(errors.NotFound):
        await poll
    assert driver.open_id is None and len(tracker) == 0 and not driver.waiting


async def test_an_answer_about_a_closed_session_is_stale(
    world: World, client: BeeperClient
) -> None:
    driver, _ = driver_on(client, "local-whatsapp")
    await driver.create(flow_id="qr")
    answers = driver.waits()
    poll = asyncio.ensure_future(anext(answers))
    await world.until_waiting()
    assert await driver.cancel()
    with pytest.raises(StopAsyncIteration):
        await poll  # the poll answered "cancelled", but nobody holds that session any more
    assert driver.open_id is None and world.open_session_count == 0


def test_the_driver_imports_no_textual() -> None:
    code = "import sys, beeper_tui.tui.login.driver; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
