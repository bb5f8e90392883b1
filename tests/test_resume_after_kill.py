"""``kill -9`` in the middle of a login, then ``beeper-tui`` again: the real app on a
pseudo-terminal, twice, against one simulator on a loopback port. Nothing runs on the way out
of a SIGKILL, so the session stays open on the server; the next start offers it — Resume goes
on from the step the login was at, Cancel leaves 0 sessions open."""

from __future__ import annotations

import signal
import sys
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from beeper_tui.login_journal import LoginJournal
from beeper_tui.sim import World
from beeper_tui.sim.serve import running_server
from tests.support import quiet_world
from tests.support.terminal import Terminal, beeper_tui_on_a_pty

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")

SIZE = (100, 30)


@pytest.fixture
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LoginJournal:
    """Both starts keep their journal here (the child processes inherit the variable)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return LoginJournal.in_state_dir()


def beeper_tui(base_url: str, world: World, *args: str) -> AbstractContextManager[Terminal]:
    """``beeper-tui ARGS`` on its own pty, talking to the simulator at ``base_url``."""
    return beeper_tui_on_a_pty(base_url, world.token, *args, size=SIZE)


def killed_mid_login(base_url: str, world: World, journal: LoginJournal, *args: str) -> str:
    """``beeper-tui login ARGS``, once its session is open and recorded, killed with SIGKILL;
    the session it left open. ``telegram`` is first given a phone number (on to the code)."""
    with beeper_tui(base_url, world, "login", *args) as login:
        login.until(lambda: world.open_session_count == 1, 30, "the login session to open")
        [session_id] = world.sessions
        if args[0] == "telegram":
            login.until(lambda: login.shows("Phone number"), 15, "the phone step")
            login.settle()
            login.press("+15551234567\r", settle=0)
            session = world.sessions[session_id]
            login.until(lambda: session.step_index == 1, 15, "the code step")
        login.until(lambda: [e.pid for e in journal.entries()] == [login.process.pid], 10, "rec")
        login.process.send_signal(signal.SIGKILL)
        assert login.process.wait(10) == -signal.SIGKILL
    assert world.open_session_count == 1  # nothing ran on the way out: still open
    return session_id


def test_after_kill_9_the_next_start_offers_the_login_and_resume_goes_on_from_its_step(
    journal: LoginJournal,
) -> None:
    world = quiet_world()
    with running_server(world) as base_url:
        session_id = killed_mid_login(base_url, world, journal, "telegram")
        with beeper_tui(base_url, world) as tty:
            tty.until(lambda: tty.shows("A login for Telegram was left open"), 30, "the offer")
            tty.until(lambda: tty.shows("Adding an account, at: Enter the code."), 5, "where")
            tty.press("r", settle=0)
            tty.until(lambda: tty.shows("Step 1 · Enter the code"), 15, "the code step")
            assert list(world.sessions) == [session_id]  # the same session: no new one
            tty.press("12345\r", settle=0)  # the code the simulator expects: on to the next step
            tty.until(lambda: tty.shows("Enter your password"), 15, "the password step")
            assert world.sessions[session_id].step_index == 2
            tty.press("\x03", settle=0)  # Ctrl-C: "Stop connecting?"
            tty.until(lambda: tty.shows("Stop connecting Telegram?"), 10, "the question")
            tty.press("y", settle=0)
            tty.exit_code()
    assert world.open_session_count == 0 and journal.entries() == []


def test_after_kill_9_cancel_on_the_offer_leaves_no_session_open(journal: LoginJournal) -> None:
    world = quiet_world()
    with running_server(world) as base_url:
        killed_mid_login(base_url, world, journal, "local-whatsapp", "--flow", "qr")
        with beeper_tui(base_url, world) as tty:
            tty.until(lambda: tty.shows("A login for WhatsApp was left open"), 30, "the offer")
            tty.until(lambda: tty.shows("at: Scan the QR code with your phone."), 5, "where")
            tty.press("c", settle=0)
            tty.until(lambda: world.open_session_count == 0, 10, "the cancel")
            tty.until(lambda: journal.entries() == [], 10, "the journal to forget it")
            tty.until(lambda: not tty.shows("left open"), 10, "the offer to close")
            assert tty.process.poll() is None  # and the app carries on
