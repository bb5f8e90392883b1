"""Every way out of the login wizard cancels its open session on the server, and
``beeper-tui login`` ends with 0 after a connected account, 1 otherwise."""

from __future__ import annotations

import html

import pytest
from textual.widgets import OptionList

from beeper_tui.tui.login.flow_picker import FlowPickerDialog
from beeper_tui.tui.login.leave_dialog import LeaveLoginDialog
from beeper_tui.tui.login.screen import LoginOutcome, LoginWizardScreen
from beeper_tui.tui.login.steps import (
    CodeStepWidget,
    CompleteStepWidget,
    FormStepWidget,
    QRStepWidget,
)
from tests.support import (
    SIZE,
    HeldRequests,
    asked_to_leave,
    banner_text,
    demo_app,
    fill_form,
    footer_keys,
    header_text,
    held_demo_app,
    left_for_good,
    long_poll_waiting,
    quiet_world,
    type_text,
    wait_for,
    wait_for_step,
    wizard_app,
    wizard_of,
)


async def open_on_qr(pilot, world) -> str:  # type: ignore[no-untyped-def]
    """Wait for the WhatsApp QR and its long-poll; the session's ID."""
    await wait_for_step(pilot, QRStepWidget)
    (session_id,) = list(world.sessions)
    await long_poll_waiting(pilot, world)
    assert world.open_session_count == 1
    return session_id


async def test_esc_asks_first_and_no_keeps_the_login_going() -> None:
    world = quiet_world()
    app = wizard_app(world, "local-whatsapp", "qr")
    async with app.run_test(size=SIZE) as pilot:
        await open_on_qr(pilot, world)
        await asked_to_leave(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginWizardScreen))
        assert world.open_session_count == 1
        assert world.waiting_long_polls() == 1, "the long-poll is still open"
        world.scan()  # the login carries on
        await wait_for_step(pilot, CompleteStepWidget)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.is_running, what="exit after connecting")
    assert app.return_code == 0


@pytest.mark.parametrize(
    ("ask", "answer"), [("escape", "y"), ("ctrl+c", "ctrl+c")], ids=["esc-y", "ctrl+c-twice"]
)
async def test_leaving_mid_long_poll_cancels_the_session_and_exits_1(ask: str, answer: str) -> None:
    """Esc then y, or a second ctrl+c at the question: either way the session is DELETEd."""
    world = quiet_world()
    app = wizard_app(world, "local-whatsapp", "qr")
    async with app.run_test(size=SIZE) as pilot:
        session_id = await open_on_qr(pilot, world)
        await asked_to_leave(pilot, ask)
        await pilot.press(answer)
        await wait_for(pilot, lambda: not app.is_running, what="exit")
    assert app.return_code == 1
    assert world.open_session_count == 0
    assert world.sessions[session_id].status == "cancelled"
    assert ("DELETE", f"/v1/bridges/local-whatsapp/login-sessions/{session_id}") in world.requests


async def test_q_asks_first_then_quits_and_cancels() -> None:
    world = quiet_world()
    app = wizard_app(world, "local-whatsapp", "qr")
    async with app.run_test(size=SIZE) as pilot:
        await open_on_qr(pilot, world)
        await asked_to_leave(pilot, "q")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginWizardScreen))
        assert app.is_running and world.open_session_count == 1, "n keeps the login going"
        await left_for_good(pilot, "q")
    assert app.return_code == 1
    assert world.open_session_count == 0


@pytest.mark.parametrize("code", [0, 143], ids=["app.exit", "sigterm"])
async def test_app_exit_mid_long_poll_cancels(code: int) -> None:
    world = quiet_world()
    app = wizard_app(world, "local-whatsapp", "qr")
    async with app.run_test(size=SIZE) as pilot:
        await open_on_qr(pilot, world)
        app.exit(code, return_code=code)
        await wait_for(pilot, lambda: not app.is_running, what="exit")
    assert world.open_session_count == 0


async def test_ctrl_c_mid_form_asks_and_y_quits_and_cancels() -> None:
    world = quiet_world()
    app = wizard_app(world, "telegram")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_step(pilot, FormStepWidget)
        assert world.open_session_count == 1
        await asked_to_leave(pilot, "ctrl+c")
        assert "Stop connecting Telegram?" in str(app.screen.query_one("#leave-question").render())
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, what="exit")
    assert world.open_session_count == 0
    assert app.return_code == 1  # `beeper-tui login` interrupted: the login did not happen


async def test_ctrl_c_without_a_session_open_quits_at_once() -> None:
    world = quiet_world()
    app = wizard_app(world, "discordgo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FlowPickerDialog), what="picker")
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: not app.is_running, what="exit")
    assert app.return_code == 1
    assert world.sessions == {}


async def test_leaving_while_the_session_is_being_created_cancels_it_too() -> None:
    world = quiet_world()
    world.faults.add(
        "latency", path="/v1/bridges/telegram/login-sessions", method="POST", delay=0.3
    )
    app = wizard_app(world, "telegram")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(
            pilot,
            lambda: ("POST", "/v1/bridges/telegram/login-sessions") in world.requests,
            what="the create request",
        )
        app.exit()
    assert len(world.sessions) == 1
    assert world.open_session_count == 0


async def test_a_crashing_worker_shows_a_banner_and_leaving_still_cancels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = quiet_world()
    app = wizard_app(world, "telegram")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_step(pilot, FormStepWidget)

        async def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("injected fault")

        monkeypatch.setattr(app.client, "submit_step", broken)
        await fill_form(pilot, "+15550109999")
        await wait_for(pilot, lambda: "injected fault" in banner_text(app), what="banner")
        assert app.is_running, "a failed worker must not take the app down"
        assert "Traceback" not in banner_text(app)
        assert wizard_of(app).recovery == "reread"
        await left_for_good(pilot)
    assert app.return_code == 1
    assert world.open_session_count == 0


async def test_pushed_wizard_dismisses_with_its_outcome_back_to_the_caller() -> None:
    world = quiet_world()
    app = demo_app(world)
    outcomes: list[LoginOutcome | None] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        caller = app.screen
        app.push_screen(LoginWizardScreen("telegram"), outcomes.append)
        await wait_for_step(pilot, FormStepWidget)
        await asked_to_leave(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is caller, what="back to the caller")
        assert app.is_running
        assert world.open_session_count == 0
    (outcome,) = outcomes
    assert outcome is not None
    assert (outcome.status, outcome.bridge_id, outcome.account) == ("cancelled", "telegram", None)


async def test_pushed_wizard_returns_to_the_caller_after_connecting() -> None:
    world = quiet_world()
    app = demo_app(world)
    outcomes: list[LoginOutcome | None] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        caller = app.screen
        wizard = LoginWizardScreen("local-signal", login_id="ba_U2lnbmFsTm9hTGV2aUFjY3Q")
        wizard.DONE_DELAY = 0.2
        app.push_screen(wizard, outcomes.append)
        await wait_for_step(pilot, QRStepWidget)
        await long_poll_waiting(pilot, world)
        world.scan()
        await wait_for_step(pilot, CompleteStepWidget)
        await wait_for(pilot, lambda: app.screen is caller, what="back after the delay")
    (outcome,) = outcomes
    assert outcome is not None and outcome.status == "complete"
    assert outcome.login_id == "ba_U2lnbmFsTm9hTGV2aUFjY3Q"
    assert outcome.account is not None and outcome.account.user.full_name == "נועה לוי 🌸"


async def test_login_command_exit_codes_complete_0_cancel_1() -> None:
    world = quiet_world()
    app = wizard_app(world, "discordgo", "token")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_step(pilot, FormStepWidget)
        await type_text(pilot, "secret")
        await pilot.press("enter")
        await wait_for_step(pilot, CompleteStepWidget)
        await pilot.press("x")
        await wait_for(pilot, lambda: not app.is_running)
    assert (app.return_code, app.return_value) == (0, 0)

    app = wizard_app(world, "discordgo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FlowPickerDialog), what="picker")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.is_running)
    assert (app.return_code, app.return_value) == (1, 1)
    assert world.open_session_count == 0


async def test_question_mark_shows_the_keys_and_r_only_works_when_there_is_a_retry() -> None:
    from beeper_tui.tui.screens.help import HelpDialog

    world = quiet_world()
    app = wizard_app(world, "local-whatsapp", "qr")
    async with app.run_test(size=SIZE) as pilot:
        await open_on_qr(pilot, world)
        wizard = wizard_of(app)
        assert wizard.recovery is None
        await pilot.press("r")  # nothing to retry: no second session
        await pilot.pause()
        assert not [w for w in wizard.workers if w.group == "session" and w.is_running]
        assert len(world.sessions) == 1 and app.screen is wizard
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpDialog), what="the help screen")
        shown = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "Login wizard" in shown
        # `beeper-tui login` has no screen to go back to: Esc stops and leaves, like q.
        assert "Stop connecting and leave" in shown and "Back" not in shown
        assert "Quit" in shown and "Zoom QR" in shown
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is wizard)
        assert world.open_session_count == 1, "the help screen is no way out"
    assert world.open_session_count == 0


async def test_esc_on_the_first_step_of_a_picked_flow_goes_back_to_the_picker() -> None:
    world = quiet_world()
    app = wizard_app(world, "discordgo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FlowPickerDialog), what="picker")
        await pilot.press("down", "enter")  # the token flow
        await wait_for_step(pilot, FormStepWidget, "fi.mau.discord.token")
        assert footer_keys(app)["escape"] == "Back"
        (first,) = list(world.sessions)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, FlowPickerDialog), what="picker")
        assert world.sessions[first].status == "cancelled", "going back cancels the session"
        assert world.open_session_count == 0
        options = app.screen.query_one(OptionList)
        assert options.highlighted == 0, "the server's default flow, as the first time"
        await pilot.press("enter")  # the QR code this time
        await wait_for_step(pilot, QRStepWidget)
        assert wizard_of(app).login_target.flow_id == "qr" and "Step 1" in header_text(app)
        assert world.open_session_count == 1
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, FlowPickerDialog), what="picker")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.is_running, what="exit")
    assert app.return_code == 1
    assert len(world.sessions) == 2 and world.open_session_count == 0


async def test_esc_after_the_first_step_asks_and_leaves() -> None:
    world = quiet_world()
    app = wizard_app(world, "local-whatsapp")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FlowPickerDialog), what="picker")
        await pilot.press("down", "enter")  # phone number
        await wait_for_step(pilot, FormStepWidget)
        await fill_form(pilot, "+1 555 010 1234")
        await wait_for_step(pilot, CodeStepWidget)
        assert footer_keys(app)["escape"] == "Leave", "no back under `beeper-tui login`"
        await left_for_good(pilot)
    assert app.return_code == 1
    assert world.open_session_count == 0


async def test_the_footer_says_back_only_where_there_is_one() -> None:
    world = quiet_world()
    app = wizard_app(world, "telegram")  # `beeper-tui login`: one flow, nothing behind it
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_step(pilot, FormStepWidget)
        assert footer_keys(app).get("escape") == "Leave"
        assert "Back" not in footer_keys(app).values()

    app = demo_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.is_mounted)
        app.push_screen(LoginWizardScreen("telegram"))  # over the accounts screen
        await wait_for_step(pilot, FormStepWidget)
        assert footer_keys(app)["escape"] == "Back"
    assert world.open_session_count == 0


async def leave_with_the_cancel_held(
    pilot, world, held: HeldRequests, outcomes: list[LoginOutcome | None]
) -> None:  # type: ignore[no-untyped-def]
    """Open a WhatsApp QR wizard over the accounts screen and leave it with Esc, y; return
    once its cancel (the DELETE) reached the transport that ``held`` holds it in."""
    app = pilot.app
    await wait_for(pilot, lambda: app.screen.is_mounted)
    app.push_screen(LoginWizardScreen("local-whatsapp", "qr"), outcomes.append)
    await open_on_qr(pilot, world)
    await asked_to_leave(pilot)
    await pilot.press("y")
    await wait_for(pilot, lambda: held.held == 1, what="the cancel on its way")


QR_SESSIONS = "/v1/bridges/local-whatsapp/login-sessions/"


@pytest.mark.parametrize("key", ["escape", "q", "r", "z"])
async def test_a_key_pressed_while_the_wizard_leaves_does_nothing(key: str) -> None:
    world = quiet_world()
    app, held = held_demo_app(world, "DELETE", QR_SESSIONS)
    async with app.run_test(size=SIZE) as pilot:
        outcomes: list[LoginOutcome | None] = []
        await wait_for(pilot, lambda: app.screen.is_mounted)
        home = app.screen
        await leave_with_the_cancel_held(pilot, world, held, outcomes)
        await pilot.press(key)
        assert not outcomes, "still leaving: the cancel has not landed"
        held.release()
        await wait_for(pilot, lambda: outcomes, what="the wizard's outcome")
        await wait_for(pilot, lambda: app.screen is home, what="back home")
        assert app.is_running
        assert not [s for s in app.screen_stack if isinstance(s, LeaveLoginDialog)]
    assert len(world.sessions) == 1 and world.open_session_count == 0


async def test_the_keys_opened_while_the_wizard_leaves_do_not_strand_it() -> None:
    from beeper_tui.tui.screens.help import HelpDialog

    world = quiet_world()
    app, held = held_demo_app(world, "DELETE", QR_SESSIONS)
    async with app.run_test(size=SIZE) as pilot:
        outcomes: list[LoginOutcome | None] = []
        await wait_for(pilot, lambda: app.screen.is_mounted)
        home = app.screen
        # The cancel is held on its way until the keys are on screen: they open while the
        # wizard is still leaving, however loaded the machine.
        await leave_with_the_cancel_held(pilot, world, held, outcomes)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpDialog), what="the keys")
        assert not outcomes, "still leaving: the cancel has not landed"
        held.release()
        await wait_for(pilot, lambda: outcomes, what="the wizard's outcome")
        await wait_for(pilot, lambda: app.screen is home, what="back home, help closed too")
        assert [type(s) for s in app.screen_stack][-1] is type(home)
    assert world.open_session_count == 0
