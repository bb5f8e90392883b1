"""The fault matrix, on screen: every fault the simulator injects × the home screen's actions
(reconnect, add, remove).

For each pair: the app keeps running (no traceback, no worker error), the person reads what
happened (a notification or the wizard's banner, never the token; a refused token first brings
the sign-in back over the screen, and "not now" leaves the refusal to the screen below), the
same action works once the fault clears, and no login session is left open on the simulator
afterwards. The faults, their messages and the tally are those of ``tests/test_fault_matrix.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, OptionList

from beeper_tui.connect import connect_demo
from beeper_tui.tui.accounts.pickers import BridgePickerDialog
from beeper_tui.tui.accounts.remove_login import RemoveLoginDialog
from beeper_tui.tui.app import BeeperApp
from beeper_tui.tui.login.driver import LoginSessionDriver
from beeper_tui.tui.login.flow_picker import FlowPickerDialog
from beeper_tui.tui.login.leave_dialog import LeaveLoginDialog
from beeper_tui.tui.login.open_sessions import OpenSessions
from beeper_tui.tui.login.screen import LoginWizardScreen
from beeper_tui.tui.login.steps import (
    FormStepWidget,
    QRStepWidget,
    UnknownStepWidget,
    WaitingStepWidget,
)
from beeper_tui.tui.signin.sign_in import SignInScreen
from tests.support import (
    SIZE,
    banner_text,
    heard,
    home,
    loaded,
    polls_on_demand,
    screen_of,
    screen_text,
    step_of,
    wait_for,
    wait_for_step,
    wizard_app,
    wizard_of,
)
from tests.test_fault_matrix import FAULT_IDS, FAULTS, TALLY, TIMEOUT, TOKEN, Fault, matrix_world

IMESSAGE = "imessage_ba_aU1lc3NhZ2VLaW1QYXJrTWFj"  # reconnect_required in the demo
IMESSAGE_LOGIN = "ba_aU1lc3NhZ2VLaW1QYXJrTWFj"
SLACK_OSC = "slackgo.T03OSC00002-U04JRIVERA9"


@pytest.fixture(autouse=True)
def _quick_wizard(monkeypatch: pytest.MonkeyPatch) -> None:
    """The "connected" message goes at once: the matrix waits for the home screen after it."""
    monkeypatch.setattr(LoginWizardScreen, "DONE_DELAY", 0.05)


def home_app(world: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[BeeperApp, list[str]]:
    """The app on its home screen, polling only when woken, with what it says recorded."""
    polls_on_demand(monkeypatch)
    app = BeeperApp(connect_demo(world, timeout=TIMEOUT, retries=0))
    return app, heard(app)


def running(app: BeeperApp) -> None:
    """Nothing crashed: the app runs and no worker of any screen ended in an error."""
    assert app.is_running and app.return_code is None
    failed = [w for w in app.workers if w.error is not None]
    assert not failed, failed


def banner_says(app: BeeperApp) -> str:
    """All the wizard's banner says now (message, hint and keys), "" while it is hidden."""
    if not isinstance(app.screen, LoginWizardScreen) or not banner_text(app):
        return ""
    return str(wizard_of(app).banner.render())


async def told(
    pilot: Pilot[Any], fault: Fault, shown: Callable[[], str], what: str, *, everywhere: bool = True
) -> None:
    """Wait until ``shown()`` says something, with ``fault``'s words in it. A refused token first
    brings the sign-in back over whatever is shown (``tui/signin/gate.py``); "not now" (Esc)
    leaves the refusal to the screen below, which then says it like any other fault. A token
    refused for one request only (not ``everywhere``) is a refusal that passes: no sign-in."""
    if fault.kind == "unauthorized" and everywhere:
        await screen_of(pilot, SignInScreen, timeout=10)
        assert fault.says in screen_text(pilot) and TOKEN not in screen_text(pilot)
        await pilot.press("escape")
    await wait_for(pilot, lambda: bool(said := shown()) and fault.says in said, 10, what)


# --- The home screen's actions ---------------------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_home_reconnect(fault: Fault, monkeypatch: pytest.MonkeyPatch) -> None:
    """``r`` on a broken account under the fault: the wizard says why it can't start; once
    the fault clears, ``r`` there carries on and the reconnect completes."""
    world = matrix_world()
    app, _ = home_app(world, monkeypatch)
    TALLY["cases"] += 1
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert screen.table.select(IMESSAGE)
        fault.add(world)
        await pilot.press("r")
        await told(pilot, fault, lambda: banner_says(app), "the banner")
        running(app)
        assert TOKEN not in banner_says(app)
        world.faults.clear()
        await pilot.press("r")
        await wait_for_step(pilot, WaitingStepWidget, timeout=10)
        assert not banner_text(app)
        world.scan()  # the Mac side approves
        await wait_for(pilot, lambda: pilot.app.screen is screen, 10, "back home")
        await wait_for(pilot, lambda: screen.table.mark_note(IMESSAGE) is not None, 10)
        assert world.accounts[IMESSAGE].status in ("backfilling", "connected")
        running(app)
    assert world.open_session_count == 0
    TALLY["recovered"] += 1


async def add_through_picker(pilot: Pilot[Any], bridge_id: str) -> None:
    """``a``, then pick ``bridge_id`` in the bridge picker."""
    await pilot.press("a")
    picker = await screen_of(pilot, BridgePickerDialog)
    options = picker.query_one(OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    options.highlighted = ids.index(bridge_id)
    await pilot.press("enter")
    await wait_for(
        pilot,
        lambda: any(isinstance(s, LoginWizardScreen) for s in pilot.app.screen_stack),
        what="the wizard",
    )


@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_home_add(fault: Fault, monkeypatch: pytest.MonkeyPatch) -> None:
    """``a`` → Telegram under the fault: the wizard says why; once it clears, ``r`` opens the
    login on its first step; leaving cancels it."""
    world = matrix_world()
    app, _ = home_app(world, monkeypatch)
    TALLY["cases"] += 1
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        fault.add(world)
        await add_through_picker(pilot, "telegram")
        await told(pilot, fault, lambda: banner_says(app), "the banner")
        running(app)
        assert TOKEN not in banner_says(app)
        world.faults.clear()
        await pilot.press("r")
        await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.phone_number", timeout=10)
        assert not banner_text(app) and world.open_session_count == 1
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is not wizard_of(app), what="the ask")
        await pilot.press("y")
        await wait_for(pilot, lambda: pilot.app.screen is screen, 10, "back home")
        running(app)
    assert world.open_session_count == 0
    TALLY["recovered"] += 1


async def remove_confirmed(pilot: Pilot[Any], world: Any, fault: Fault | None) -> None:
    """``d`` on the selected account, then (with ``fault`` added meanwhile) its first scope."""
    await pilot.press("d")
    dialog = await screen_of(pilot, RemoveLoginDialog)
    if fault is not None:
        fault.add(world)
    dialog.query_one("#scope-0", Button).press()


@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_home_remove(fault: Fault, monkeypatch: pytest.MonkeyPatch) -> None:
    """``d``, confirm, under the fault: a notification says the login was not removed and
    why; once the fault clears, the same removal goes through (or, where the slow answer
    did reach the server, the list says it is gone)."""
    world = matrix_world()
    app, said = home_app(world, monkeypatch)
    TALLY["cases"] += 1
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert screen.table.select(SLACK_OSC)
        await remove_confirmed(pilot, world, fault)
        await told(
            pilot, fault, lambda: "\n".join(n for n in said if "Couldn't remove" in n), "notice"
        )
        (notice,) = [n for n in said if "Couldn't remove" in n]
        assert fault.says in notice and TOKEN not in notice
        assert pilot.app.screen is home(pilot)
        running(app)
        world.faults.clear()
        # Over a real connection a slow removal may still land after the client gave up
        # (in-process, the timeout cancels it): then the login is no longer listed.
        await pilot.press("d")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, RemoveLoginDialog)
                or any("no longer lists" in n for n in said)
            ),
            10,
            "the removal asked again",
        )
        if isinstance(app.screen, RemoveLoginDialog):
            app.screen.query_one("#scope-0", Button).press()
            await wait_for(pilot, lambda: any(n.startswith("Removed") for n in said), 10)
        assert SLACK_OSC not in world.accounts
        running(app)
    TALLY["recovered"] += 1


# --- Leaving while Beeper Desktop fails the cancel --------------------------------------------


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app tries a failed cancel again after 0.05 s, then every 0.1 s."""
    monkeypatch.setattr(OpenSessions, "RETRY_DELAYS", (0.05,) + (0.1,) * 30)


@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_leaving_an_unknown_step_while_the_cancel_fails(
    fault: Fault, monkeypatch: pytest.MonkeyPatch, quick_retries: None
) -> None:
    """Esc on a step this version can't drive (a passkey) leaves at once; when Beeper Desktop
    fails the DELETE, a notification says the login could not be cancelled and will be tried
    again, and once the fault clears the app's retry closes it — the app still running."""
    world = matrix_world()
    app, said = home_app(world, monkeypatch)
    TALLY["cases"] += 1
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        app.push_screen(LoginWizardScreen("local-linkedin", flow_id="passkey"))
        await wait_for_step(pilot, UnknownStepWidget, timeout=10)
        world.faults.add(fault.kind, method="DELETE", times=None, **fault.options)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, 10, "back home")
        if fault.name == "status-404":
            # A session already gone counts as cancelled: nothing to say. Only the fault
            # lied (the simulator still holds it): the test closes it.
            assert not any("Couldn't cancel" in n for n in said)
            world.faults.clear()
            for session in world.open_sessions():
                await app.client.cancel_login_session("local-linkedin", session["loginSessionID"])
        else:
            notices = lambda: "\n".join(n for n in said if "cancel" in n)  # noqa: E731
            await told(pilot, fault, notices, "notice", everywhere=False)  # the DELETE only
            (notice,) = [n for n in said if "Couldn't cancel the login" in n]
            assert "will try again" in notice and TOKEN not in notice
            assert world.open_session_count == 1, "still open while Beeper Desktop fails"
            running(app)
            world.faults.clear()
            await wait_for(pilot, lambda: world.open_session_count == 0, 10, "the retry")
            await wait_for(pilot, lambda: any("cancelled now" in n for n in said), 10)
        assert len(app.open_sessions) == 0
        running(app)
    assert world.open_session_count == 0
    TALLY["recovered"] += 1


async def test_going_back_to_the_flow_picker_while_the_cancel_fails(quick_retries: None) -> None:
    """Esc on the first step of a flow picked from the list goes back to the list, which
    cancels the session: when that DELETE fails it says so too, and the retry closes it."""
    world = matrix_world()
    app = wizard_app(world, "local-linkedin")
    said = heard(app)
    async with app.run_test(size=SIZE) as pilot:
        picker = await screen_of(pilot, FlowPickerDialog)
        options = picker.query_one(OptionList)
        options.highlighted = options.get_option_index("passkey")
        await pilot.press("enter")
        await wait_for_step(pilot, UnknownStepWidget, timeout=10)
        world.faults.add("status", method="DELETE", times=2, status=503)
        await pilot.press("escape")
        await screen_of(pilot, FlowPickerDialog)
        await wait_for(pilot, lambda: any("Couldn't cancel the login" in n for n in said), 10)
        await wait_for(pilot, lambda: world.open_session_count == 0, 10, "the retry")
        running(app)


# --- Every fault mid-wizard, on screen: a displayed step's long-poll ------------------------
#
# Every step kind × every fault runs on the login-session driver (tests/test_fault_matrix.py,
# fast); here the screen's side of it, one wizard per kind looping over every fault.

STEPS_PATH = "/v1/bridges/*/login-sessions/*/steps/*"
DISPLAYED: dict[str, tuple[str, str | None, str | None, type[Any]]] = {
    "qr": ("local-whatsapp", "qr", None, QRStepWidget),
    "nothing": ("imessage", None, IMESSAGE_LOGIN, WaitingStepWidget),
}


def long_polls(world: Any) -> int:
    return sum(1 for method, path in world.requests if method == "POST" and "/steps/" in path)


async def polled_past(pilot: Pilot[Any], world: Any, count: int) -> None:
    """Wait until the wizard sent long-polls beyond the first ``count``."""
    await wait_for(pilot, lambda: long_polls(world) > count, 10, f"long-poll {count + 1}")


@pytest.mark.parametrize("kind", list(DISPLAYED))
async def test_every_fault_on_a_displayed_steps_long_poll(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One wizard on a displayed step whose long-poll is held briefly, so the next one comes
    at once; each fault in turn on it: the banner says what happened (a slow answer is no
    fault for a long-poll, which has its own deadline: nothing to say), nothing crashes, and
    once the fault clears ``r`` carries on (a 404 "gone": a fresh login). Quitting at the end
    leaves no session open."""
    monkeypatch.setattr(LoginSessionDriver, "CONFLICT_PAUSE", 0.001)
    bridge, flow, login, widget = DISPLAYED[kind]
    world = matrix_world()
    world.long_poll_max = 0.05
    conn = connect_demo(world, timeout=TIMEOUT, retries=0)
    conn.client.deadline = 4 * TIMEOUT  # the latency fault outlasts it
    app = BeeperApp(conn, login_target=(bridge, flow, login, None))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_step(pilot, widget, timeout=10)
        for fault in FAULTS:
            TALLY["cases"] += 1
            options = {"path": STEPS_PATH, "method": "POST", "times": None, **fault.options}
            world.faults.add(fault.kind, **options)
            if fault.kind == "latency":
                await polled_past(pilot, world, long_polls(world) + 1)  # two slow ones
                assert not banner_text(app), banner_says(app)
            else:  # the refusal is the long-poll's only: a refusal that passes, no sign-in
                shown = lambda: banner_says(app)  # noqa: E731
                await told(pilot, fault, shown, fault.name, everywhere=False)
                assert TOKEN not in banner_says(app)
            running(app)
            world.faults.clear()
            if fault.name == "status-404":
                # The wizard believes the session gone and offers a fresh one; only the
                # fault lied, so the test closes the one the simulator still holds.
                for session in world.open_sessions():
                    await app.client.cancel_login_session(bridge, session["loginSessionID"])
            if banner_text(app):
                await pilot.press("r")
            await wait_for(
                pilot,
                lambda: not banner_text(app) and isinstance(step_of(app), widget),
                10,
                f"carrying on after {fault.name}",
            )
            await wait_for(pilot, lambda: world.waiting_long_polls() >= 1, 10, "polling again")
            running(app)
            TALLY["recovered"] += 1
        assert world.open_session_count == 1
        await pilot.press("q")
        await screen_of(pilot, LeaveLoginDialog)
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, 10, "quitting")
    assert world.open_session_count == 0
