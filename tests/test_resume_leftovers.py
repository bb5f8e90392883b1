"""Logins that survive a crash, in the account manager: the next start offers each login a
crashed beeper-tui left open (Resume at its current step, or Cancel), cancels the old ones
quietly and forgets the gone ones — and a reconnect says whom to sign in as, and says so
plainly when someone else signed in.

Pilot against the in-process simulator, with the app opened as on a real Beeper Desktop (so it
keeps a login journal, in this test's own state directory). A leftover is a session opened on
the simulator and recorded by a process that no longer runs, as ``kill -9`` leaves it; the
real ``kill -9`` is ``tests/test_resume_after_kill.py``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from beeper_tui.api.client import BeeperClient
from beeper_tui.api.models import Account, BridgeLogin, CompleteStep
from beeper_tui.config import Settings
from beeper_tui.connect import Connection, NamedConnection
from beeper_tui.login_journal import LoginJournal
from beeper_tui.login_leftovers import SESSION_LIFETIME
from beeper_tui.sim import World, create_app, sim_transport
from beeper_tui.tui.accounts.screen import AccountsScreen
from beeper_tui.tui.login import leftover_offer
from beeper_tui.tui.login.identity import signed_in_elsewhere
from beeper_tui.tui.login.leftover_offer import LeftoverLoginDialog
from beeper_tui.tui.login.outcome import final_line
from beeper_tui.tui.login.screen import LoginWizardScreen
from beeper_tui.tui.login.steps import (
    CodeStepWidget,
    EmojiStepWidget,
    FormStepWidget,
    QRStepWidget,
)
from tests.support import (
    SIM_BASE_URL,
    SIZE,
    app_on,
    app_timers_passed,
    banner_text,
    header_text,
    heard,
    home,
    loaded,
    long_poll_waiting,
    quiet_world,
    screen_of,
    wait_for,
    wait_for_step,
    wizard_app,
    wizard_of,
)

DEAD = 999_999_999
"""The pid of the beeper-tui that was killed: no such process."""
BROKEN_WHATSAPP = "ba_Qm9uZGF5TW9ybmluZ0NvZmZlZQ"
"""مريم الحسيني's WhatsApp login (+971501234567): reconnect_required in the demo world."""
BROKEN_GMESSAGES = "ba_R01lc3NhZ2VzUHJpeWFTaGFy"
"""Priya Sharma's Google Messages login (one flow: QR, then emoji): connection_required."""


@pytest.fixture
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LoginJournal:
    """The journal the app under test keeps (its own state directory)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return LoginJournal.in_state_dir()


def left_open(
    world: World,
    journal: LoginJournal,
    bridge: str,
    *steps: dict[str, Any],
    flow: str | None = None,
    login: str | None = None,
    age: float = 180.0,
) -> str:
    """A login session opened ``age`` seconds ago by a beeper-tui since killed, moved on by
    submitting ``steps`` (a user_input step's fields each): its ID."""
    session = world.create_session(bridge, flow_id=flow, login_id=login)
    session_id = session["loginSessionID"]
    for fields in steps:
        step_id = world.sessions[session_id].flow.steps[world.sessions[session_id].step_index]
        world.submit_step(bridge, session_id, step_id.step_id, {"type": "user_input", **fields})
    killed = LoginJournal(journal.directory, clock=lambda: time.time() - age, pid=DEAD)
    killed.record(bridge, session_id, SIM_BASE_URL)
    return str(session_id)


def manager(world: World) -> Any:
    """``beeper-tui`` (the account manager) on a real Beeper Desktop, here the simulator."""
    return app_on(world, world.token)


async def offered(pilot: Pilot[Any]) -> LeftoverLoginDialog:
    return await screen_of(pilot, LeftoverLoginDialog, timeout=10)


# --- The offer ------------------------------------------------------------------------------


async def test_resume_lands_on_the_step_the_login_was_at_not_the_first(
    journal: LoginJournal,
) -> None:
    world = quiet_world()
    phone = {"fields": {"phone_number": "+15551234567"}}
    session_id = left_open(world, journal, "telegram", phone, age=3 * 60 + 5)
    app = manager(world)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await offered(pilot)
        assert dialog.text.startswith("A login for Telegram was left open 3 min ago\n")
        assert "Adding an account, at: Enter the code." in dialog.text
        assert isinstance(app.screen_stack[-2], AccountsScreen)  # offered over the accounts

        await pilot.press("r")
        form = await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.code")
        wizard = wizard_of(app)
        assert wizard.driver.open_id == session_id  # the same session, not a new one
        assert header_text(app).endswith("Step 1 · Enter the code")
        assert list(world.sessions) == [session_id]
        assert [e.pid for e in journal.entries()] == [journal.pid]  # ours now
        assert form.step.step_id == "fi.mau.telegram.code"
    assert world.open_session_count == 0 and journal.entries() == []


async def test_resume_of_a_displayed_code_waits_for_the_phone_again(
    journal: LoginJournal, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Done · Connected" stays until a key is pressed (not for a delay a loaded machine may
    # outlast before the header is read); any key then goes back at once.
    monkeypatch.setattr(LoginWizardScreen, "DONE_DELAY", 3600.0)
    world = quiet_world()
    phone = {"fields": {"phone_number": "+15557654321"}}
    left_open(world, journal, "local-whatsapp", phone, flow="phone")
    app = manager(world)
    said = heard(app)
    async with app.run_test(size=SIZE) as pilot:
        await offered(pilot)
        await pilot.press("r")
        await wait_for_step(pilot, CodeStepWidget, "fi.mau.whatsapp.pairing_code")
        await long_poll_waiting(pilot, world)  # its long-poll started again
        world.scan()
        await wait_for(pilot, lambda: "Done · Connected" in header_text(app), what="connected")
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, AccountsScreen), 10, "home")
        # The accounts screen says so once the wizard's outcome reached it (a moment after
        # the wizard is gone from the screen).
        connected = lambda: any(line.startswith("Connected: ") for line in said)  # noqa: E731
        await wait_for(pilot, connected, what=f"the Connected notice, among {said}")
        assert world.open_session_count == 0 and journal.entries() == []


async def test_cancel_deletes_the_leftover_and_the_app_carries_on(
    journal: LoginJournal,
) -> None:
    world = quiet_world()
    left_open(world, journal, "local-whatsapp", flow="qr")
    app = manager(world)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await offered(pilot)
        assert "Adding an account, at: Scan the QR code with your phone." in dialog.text
        await pilot.press("c")
        await wait_for(pilot, lambda: world.open_session_count == 0, what="the cancel")
        await wait_for(pilot, lambda: isinstance(app.screen, AccountsScreen), what="home")
        assert journal.entries() == [] and len(app.open_sessions) == 0
        assert not any(isinstance(s, LoginWizardScreen) for s in app.screen_stack)


async def test_quitting_with_the_offer_on_screen_cancels_the_leftover(
    journal: LoginJournal,
) -> None:
    world = quiet_world()
    left_open(world, journal, "local-whatsapp", flow="qr")
    async with manager(world).run_test(size=SIZE) as pilot:
        await offered(pilot)
        assert world.open_session_count == 1
        await pilot.press("ctrl+c")
    assert world.open_session_count == 0 and journal.entries() == []


async def test_several_leftovers_are_offered_in_turn_newest_first(
    journal: LoginJournal,
) -> None:
    world = quiet_world()
    left_open(world, journal, "local-whatsapp", flow="qr", age=20 * 60)
    left_open(world, journal, "local-signal", age=60)
    app = manager(world)
    async with app.run_test(size=SIZE) as pilot:
        first = await offered(pilot)
        assert first.text.startswith("A login for Signal was left open 1 min ago (1 of 2)")
        await pilot.press("escape")  # Esc cancels too: nothing is left open
        await wait_for(pilot, lambda: app.screen is not first, what="the first to close")
        second = await offered(pilot)
        assert second.text.startswith("A login for WhatsApp was left open 20 min ago (2 of 2)")
        await pilot.press("r")
        await wait_for_step(pilot, QRStepWidget, "fi.mau.whatsapp.qr")
        assert world.open_session_count == 1


async def test_a_leftover_that_runs_out_while_another_is_handled_is_cancelled_not_offered(
    journal: LoginJournal, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = quiet_world()
    left_open(world, journal, "local-whatsapp", flow="qr", age=25 * 60)
    left_open(world, journal, "local-signal", age=60)
    app = manager(world)
    async with app.run_test(size=SIZE) as pilot:
        first = await offered(pilot)
        assert "Signal" in first.headline
        later = time.time() + 6 * 60  # the WhatsApp one is past its 30 minutes now
        monkeypatch.setattr(leftover_offer, "clock", lambda: later)
        await pilot.press("c")
        await wait_for(pilot, lambda: world.open_session_count == 0, what="both cancelled")
        await wait_for(pilot, lambda: journal.entries() == [], what="both forgotten")
        assert isinstance(app.screen, AccountsScreen)  # the second was never offered


def test_the_offer_as_drawn(
    snap_compare: Any, journal: LoginJournal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reconnect left open at its QR step, over the accounts (clocks frozen: "3 min ago")."""
    monkeypatch.setattr(AccountsScreen, "clock", lambda self: 1000.0)
    now = time.time()
    monkeypatch.setattr(leftover_offer, "clock", lambda: now)
    world = quiet_world()
    left_open(world, journal, "local-whatsapp", flow="qr", login=BROKEN_WHATSAPP, age=3 * 60 + 5)

    async def run_before(pilot: Any) -> None:
        await offered(pilot)
        accounts = home(pilot)
        await wait_for(pilot, lambda: accounts.header.updated_at is not None, what="the list")
        await pilot.pause()

    assert snap_compare(manager(world), terminal_size=(100, 30), run_before=run_before)


async def test_old_leftovers_are_cancelled_quietly_and_gone_ones_forgotten(
    journal: LoginJournal,
) -> None:
    world = quiet_world()
    left_open(world, journal, "local-whatsapp", flow="qr", age=SESSION_LIFETIME + 60)
    gone = left_open(world, journal, "local-signal")
    world.expire_session(gone)  # 404 from now on
    app = manager(world)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await wait_for(pilot, lambda: journal.entries() == [], what="the journal to be settled")
        await pilot.pause(0.3)
        assert world.open_session_count == 0
        assert isinstance(app.screen, AccountsScreen)  # nothing was asked
        assert not any(isinstance(s, LeftoverLoginDialog) for s in app.screen_stack)


async def test_beeper_tui_login_cancels_leftovers_without_asking(journal: LoginJournal) -> None:
    world = quiet_world()
    left_open(world, journal, "local-signal")
    app = app_on(world, world.token, login_target=("local-whatsapp", "qr", None, None))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_step(pilot, QRStepWidget)
        await wait_for(pilot, lambda: world.open_session_count == 1, what="the quiet cancel")
        assert not any(isinstance(s, LeftoverLoginDialog) for s in app.screen_stack)
        assert [s.bridge_id for s in world.sessions.values() if not s.ended] == ["local-whatsapp"]


# --- Reconnect keeps the same login -----------------------------------------------------------


async def test_reconnect_says_whom_to_sign_in_as() -> None:
    app = wizard_app(quiet_world(), "local-whatsapp", "qr", login=BROKEN_WHATSAPP)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_step(pilot, QRStepWidget)
        lines = header_text(app).splitlines()
        assert lines[0] == "WhatsApp · Reconnect مريم الحسيني · QR code"
        assert lines[1] == "Sign in as مريم الحسيني, +971501234567"
        rendered = str(wizard_of(app).header.render())
        assert "Sign in as مريم الحسيني, +971501234567" in rendered


async def test_a_new_account_has_nobody_to_sign_in_as() -> None:
    app = wizard_app(quiet_world(), "local-whatsapp", "qr")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_step(pilot, QRStepWidget)
        assert "Sign in as" not in header_text(app)


async def test_a_reconnect_that_signs_in_as_someone_else_says_so_plainly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A wizard that went back by itself would do so after DONE_DELAY: shortened, so that
    # checking that it stays takes a moment (app_timers_passed below).
    monkeypatch.setattr(LoginWizardScreen, "DONE_DELAY", 0.05)
    world = quiet_world()
    world.reconnect_as_someone_else = True
    app = manager(world)
    said = heard(app)
    async with app.run_test(size=SIZE) as pilot:
        home = await loaded(pilot)
        broken = next(a for a in world.accounts.values() if a.login_id == BROKEN_GMESSAGES)
        home.reconnect_account(broken.account_id)
        await wait_for_step(pilot, QRStepWidget)
        wizard = wizard_of(app)
        assert "Sign in as Priya Sharma, +919812345678" in header_text(app)
        for step in (QRStepWidget, EmojiStepWidget):
            await wait_for_step(pilot, step)
            await long_poll_waiting(pilot, world)
            world.scan()
        await wait_for(pilot, lambda: banner_text(app), what="the outcome")
        assert wizard.outcome is not None and wizard.outcome.different_account
        added = wizard.outcome.account
        assert added is not None and added.login_id != BROKEN_GMESSAGES
        assert header_text(app).endswith("Done · A different account was added")
        assert banner_text(app).startswith("A different account was added: ")
        assert "Priya Sharma still needs attention" in str(wizard.banner.render())
        assert "Reconnected" not in header_text(app) and "Connected" not in header_text(app)
        bridge = wizard.login_target.bridge
        assert bridge is not None  # beeper-tui login's last line says it as plainly
        last_line = final_line(wizard.outcome, bridge)
        assert last_line.startswith("A different account was added: ")
        assert "Priya Sharma still needs attention" in last_line
        assert "Connected" not in last_line
        await app_timers_passed(pilot, wizard.DONE_DELAY)
        assert app.screen is wizard  # stays to be read
        await pilot.press("space")  # any key goes back
        await wait_for(pilot, lambda: isinstance(app.screen, AccountsScreen), what="home")
        added_notice = lambda: [n for n in said if n.startswith("A different account was added")]  # noqa: E731
        await wait_for(pilot, added_notice, what="the notice")
        [notice] = added_notice()
        assert "Priya Sharma still needs attention" in notice
        assert "reconnected" not in notice.lower()
    assert world.accounts[broken.account_id].status == "connection_required"  # still broken


def test_one_login_with_several_accounts_is_still_the_same_login() -> None:
    """A Slack reconnect of the second workspace completes naming the first workspace's
    account: the same login, so not someone else."""
    bridge = {"id": "slackgo", "type": "slackgo", "provider": "cloud"}
    user = {"id": "U1", "fullName": "Jamie"}
    first = Account.model_validate(
        {"accountID": "slackgo.T1", "bridge": bridge, "user": user, "status": "connected",
         "loginID": "L1"}
    )  # fmt: skip
    login = BridgeLogin.model_validate({"loginID": "L1", "bridgeID": "slackgo", "status": "ok"})
    step = CompleteStep(type="complete", account=first, login=login)
    assert not signed_in_elsewhere(step, None, login_id="L1", account_id="slackgo.T2")
    assert signed_in_elsewhere(step, None, login_id="L2", account_id="slackgo.T2")
    assert signed_in_elsewhere(
        CompleteStep(type="complete", account=first), None, login_id=None, account_id="other"
    )
    assert not signed_in_elsewhere(step, None, login_id=None, account_id=None)  # new account


# --- Several Beeper Desktops ------------------------------------------------------------------


async def test_a_leftover_on_another_desktop_resumes_there(journal: LoginJournal) -> None:
    home, work = quiet_world(), quiet_world()
    work_url = "http://work.local"
    session = work.create_session("local-signal")
    killed = LoginJournal(journal.directory, clock=lambda: time.time() - 60, pid=DEAD)
    killed.record("local-signal", session["loginSessionID"], work_url)
    client = BeeperClient(work_url, work.token, transport=sim_transport(create_app(work)))
    work_conn = Connection(client, work_url, settings=Settings(base_url=work_url))
    app = app_on(
        home, home.token, target_name="home", more_targets=[NamedConnection("work", work_conn)]
    )
    async with app.run_test(size=SIZE) as pilot:
        dialog = await offered(pilot)
        assert dialog.headline == "A login for Signal on work was left open 1 min ago"
        await pilot.press("r")
        await wait_for_step(pilot, QRStepWidget, "fi.mau.signal.qr")
        assert header_text(app).startswith("Signal on work · New account")
        assert list(work.sessions) == [session["loginSessionID"]] and not home.sessions
        await pilot.press("ctrl+c")  # "Stop connecting?"
        await pilot.press("y")
    assert work.open_session_count == 0 and journal.entries() == []
