"""What the wizard does when the server or the connection misbehaves: a clear banner, a retry
that carries on where it makes sense, never a traceback, and no session left open."""

from __future__ import annotations

import pytest

from beeper_tui.sim import inputs as sim_inputs
from beeper_tui.sim.errors import Issue
from beeper_tui.tui.login.steps import CompleteStepWidget, FormStepWidget, QRStepWidget
from tests.support import (
    SIZE,
    banner_text,
    fill_form,
    header_text,
    left_for_good,
    long_poll_waiting,
    quiet_world,
    wait_for,
    wait_for_step,
    wizard_app,
    wizard_of,
)

WHATSAPP_QR_STEP = "/v1/bridges/local-whatsapp/login-sessions/*/steps/fi.mau.whatsapp.qr"


def polls(world) -> int:  # type: ignore[no-untyped-def]
    return sum(
        1 for m, p in world.requests if m == "POST" and p.endswith("/steps/fi.mau.whatsapp.qr")
    )


async def test_dropped_connection_mid_long_poll_then_r_carries_on() -> None:
    world = quiet_world()
    app = wizard_app(world, "local-whatsapp", "qr")
    async with app.run_test(size=SIZE) as pilot:
        qr = await wait_for_step(pilot, QRStepWidget)
        await long_poll_waiting(pilot, world)
        world.faults.add("drop", path=WHATSAPP_QR_STEP)
        await wait_for(pilot, lambda: "dropped" in banner_text(app), what="the drop banner")
        wizard = wizard_of(app)
        assert wizard.recovery == "reread"
        assert "r retry" in str(wizard.banner.render())
        assert world.open_session_count == 1, "a dropped connection is not a cancel"
        world.rotate_qr()  # meanwhile the phone side moved on
        await pilot.press("r")
        await wait_for(pilot, lambda: qr.refreshes == 1, what="the re-read QR drawn in place")
        assert wizard.step_widget is qr
        assert banner_text(app) == ""
        assert (
            "GET",
            f"/v1/bridges/local-whatsapp/login-sessions/{next(iter(world.sessions))}",
        ) in (world.requests)
        await wait_for(pilot, lambda: polls(world) == 2, what="the long-poll again")
        await long_poll_waiting(pilot, world)
        world.scan()
        await wait_for_step(pilot, CompleteStepWidget)
    assert world.open_session_count == 0


async def test_expired_session_says_so_and_offers_a_fresh_start() -> None:
    world = quiet_world()
    app = wizard_app(world, "local-whatsapp", "qr")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_step(pilot, QRStepWidget)
        await long_poll_waiting(pilot, world)
        (first,) = list(world.sessions)
        world.expire_session(first)
        await wait_for(pilot, lambda: "expired" in banner_text(app), what="the expiry banner")
        assert "r start a new login" in str(wizard_of(app).banner.render())
        await pilot.press("r")
        await wait_for(pilot, lambda: len(world.sessions) == 1 and first not in world.sessions)
        await wait_for_step(pilot, QRStepWidget)
        assert world.open_session_count == 1
        assert banner_text(app) == ""
        assert "Step 1" in header_text(app)
        await left_for_good(pilot, "q")
    assert world.open_session_count == 0


async def test_server_error_on_create_is_a_banner_and_r_tries_again() -> None:
    world = quiet_world()
    world.faults.add("status", path="/v1/bridges/telegram/login-sessions", method="POST")
    app = wizard_app(world, "telegram")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "internal error" in banner_text(app), what="banner")
        assert world.sessions == {}
        assert wizard_of(app).recovery == "start"
        await pilot.press("r")
        await wait_for_step(pilot, FormStepWidget)
        assert banner_text(app) == ""
    assert world.open_session_count == 0


async def test_malformed_answer_to_a_submit_is_a_banner_and_r_rereads() -> None:
    world = quiet_world()
    app = wizard_app(world, "telegram")
    async with app.run_test(size=SIZE) as pilot:
        form = await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.phone_number")
        world.faults.add("malformed", path="/v1/bridges/telegram/login-sessions/*/steps/*")
        await fill_form(pilot, "+15550109999")
        await wait_for(pilot, lambda: "malformed" in banner_text(app), what="the banner")
        assert app.is_running
        await pilot.press("r")
        await wait_for(pilot, lambda: banner_text(app) == "", what="the re-read")
        # The session is still on the phone step: the same form, with what was typed.
        assert wizard_of(app).step_widget is form
        assert form.query_one("#field-0").value == "+15550109999"
        form.query_one("#field-0").focus()
        await pilot.press("enter")
        await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.code")
    assert world.open_session_count == 0


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("unauthorized", "refused the access token"),
        ("ratelimit", "slow down"),
        ("status", "internal error"),
    ],
)
async def test_failed_long_poll_is_a_banner_and_r_waits_again(kind: str, says: str) -> None:
    world = quiet_world()
    world.faults.add(kind, path=WHATSAPP_QR_STEP)
    app = wizard_app(world, "local-whatsapp", "qr")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: says in banner_text(app), what=says)
        assert world.token not in str(wizard_of(app).banner.render())
        assert world.open_session_count == 1
        await pilot.press("r")
        await wait_for(pilot, lambda: polls(world) == 2, what="waiting again after the re-read")
        assert banner_text(app) == ""
    assert world.open_session_count == 0


NOT_ON_TELEGRAM = "+15550000000"


async def test_server_validation_error_lands_on_the_field_and_keeps_the_input(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The server knows which numbers have a Telegram account; the client can't."""
    real_check = sim_inputs.check_user_input

    def check(step, submitted):  # type: ignore[no-untyped-def]
        cleaned, issues = real_check(step, submitted)
        if submitted.get("phone_number") == NOT_ON_TELEGRAM:
            path = ("body", "fields", "phone_number")
            issues.append(Issue("custom", "No Telegram account uses this number", path))
        return cleaned, issues

    monkeypatch.setattr(sim_inputs, "check_user_input", check)
    world = quiet_world()
    app = wizard_app(world, "telegram")
    async with app.run_test(size=SIZE) as pilot:
        form = await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.phone_number")
        await fill_form(pilot, NOT_ON_TELEGRAM)
        row = form.query_one("#row-0")
        await wait_for(pilot, lambda: row.has_class("-invalid"), what="the field error")
        assert "No Telegram account" in str(row.query_one(".field-error").render())
        assert form.query_one("#field-0").value == NOT_ON_TELEGRAM
        assert wizard_of(app).step_widget is form, "the form stays, with what was typed"
        assert world.open_session_count == 1
        await fill_form(pilot, "+15550109999")
        await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.code")
        assert not banner_text(app)
    assert world.open_session_count == 0


async def test_bridge_that_cannot_add_an_account_says_why_without_a_session() -> None:
    world = quiet_world()
    app = wizard_app(world, "twitter")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "can't connect a new account" in _note(app), what="note")
        assert "limit" in _note(app).lower()
        assert world.sessions == {}
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_code == 1
    assert not any(m == "POST" for m, _ in world.requests)


async def test_reconnect_may_proceed_on_an_unavailable_bridge() -> None:
    world = quiet_world()
    login_id = "ba_aU1lc3NhZ2VLaW1QYXJrTWFj"
    app = wizard_app(world, "imessage", login=login_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: world.open_session_count == 1, what="a session")
        assert header_text(app).startswith("iMessage · Reconnect Kim Park")
        await long_poll_waiting(pilot, world)
        world.scan()
        await wait_for_step(pilot, CompleteStepWidget)
    assert world.accounts[f"imessage_{login_id}"].status in ("backfilling", "connected")


def _note(app) -> str:  # type: ignore[no-untyped-def]
    return str(wizard_of(app).query_one("#wizard-note").render())
