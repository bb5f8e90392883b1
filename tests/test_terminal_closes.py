"""Closing the terminal cancels the login: the real ``beeper-tui login`` in a pseudo-terminal,
against the simulator on a loopback port, ended every way a person, a terminal or a supervisor
ends a program — Esc, q or Ctrl-Q then "stop", Ctrl-C twice, SIGTERM, SIGHUP, an outside SIGINT, the
terminal closing — and hung up on each kind of step. Each way leaves 0 login sessions open on
the server, and exits with its code (1 "cancelled" for the keys and an outside SIGINT, 128 + the
signal otherwise)."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from beeper_tui.sim import build_demo_world
from tests.support.terminal import Terminal, beeper_tui_on_a_terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals only")
pytest.importorskip("pyte", reason="drawing the terminal needs the dev extra (pyte)")

TOKEN = "tok-hangup-test-7f3a"
#: What every run tried, for benchmarks/hostile_report.py.
TALLY = {"cases": 0, "leaked": 0}


#: What the wizard asks when the person leaves a login under way (``LeaveLoginDialog``).
ASKED = "Stop connecting"


def keys(first: str, then: str) -> Callable[[Terminal], None]:
    """``first``, which asks "Stop connecting …?", then ``then`` once the question is drawn
    (typed before it, the second key would reach the screen below the question)."""

    def press(terminal: Terminal) -> None:
        terminal.press(first, settle=0)
        terminal.until(lambda: terminal.shows(ASKED), 10, "the question")
        terminal.press(then, settle=0)

    return press


def send(signum: int) -> Callable[[Terminal], None]:
    def deliver(terminal: Terminal) -> None:
        terminal.process.send_signal(signum)

    return deliver


def close_the_terminal(terminal: Terminal) -> None:
    terminal.close()


WAYS = {
    "esc-then-stop": (keys("\x1b", "y"), 1),
    "q-then-stop": (keys("q", "y"), 1),
    "ctrl-c-twice": (keys("\x03", "\x03"), 1),
    "ctrl-q-then-stop": (keys("\x11", "y"), 1),
    "SIGTERM": (send(signal.SIGTERM), 128 + signal.SIGTERM),
    "SIGHUP": (send(signal.SIGHUP), 128 + signal.SIGHUP),
    "outside-SIGINT": (send(signal.SIGINT), 1),  # "cancelled", not 0
    "terminal-closed": (close_the_terminal, 128 + signal.SIGHUP),
}
#: A flow whose first step is each kind the wizard shows, and a word it shows there.
FIRST_STEPS = {
    "qr": ("local-signal", "qr", "Scan the QR code"),
    "form": ("telegram", "phone", "Phone number"),
    "cookies": ("instagramgo", "cookies", "instagram.com"),
    "unknown": ("local-linkedin", "passkey", "passkey"),
}


def ends_with(
    way: str, bridge: str, flow: str, shown: str, tmp_path: Path
) -> tuple[int, int, list[str]]:
    """Open the wizard on its first step, end it ``way``; (exit code, sessions left open,
    DELETEs the server saw)."""
    end, _ = WAYS[way]
    world = build_demo_world(token=TOKEN)
    args = ("login", bridge, "--flow", flow)
    with beeper_tui_on_a_terminal(world, *args, config_home=tmp_path) as tty:
        tty.until(lambda: world.open_session_count == 1, 30, "the login session to open")
        tty.until(lambda: tty.shows(shown), 10, f"the wizard to show {shown!r}")
        end(tty)
        TALLY["cases"] += 1
        code = tty.exit_code()
    TALLY["leaked"] += world.open_session_count
    deletes = [path for method, path in world.requests if method == "DELETE"]
    return code, world.open_session_count, deletes


@pytest.mark.parametrize("way", list(WAYS))
def test_every_way_out_of_a_login_cancels_its_session(way: str, tmp_path: Path) -> None:
    code, still_open, deletes = ends_with(way, *FIRST_STEPS["qr"], tmp_path)
    assert still_open == 0
    assert code == WAYS[way][1]
    assert deletes and all("/login-sessions/" in path for path in deletes)


@pytest.mark.parametrize("step", ["form", "cookies", "unknown"])
def test_a_hang_up_on_any_step_cancels_its_session(step: str, tmp_path: Path) -> None:
    code, still_open, _ = ends_with("SIGHUP", *FIRST_STEPS[step], tmp_path)
    assert code == 128 + signal.SIGHUP
    assert still_open == 0


@pytest.mark.parametrize("way", ["SIGHUP", "ctrl-c-twice"])
def test_a_login_opened_from_the_home_screen_is_cancelled_too(way: str, tmp_path: Path) -> None:
    end, _ = WAYS[way]
    world = build_demo_world(token=TOKEN)
    with beeper_tui_on_a_terminal(world, config_home=tmp_path, size=(120, 40)) as tty:
        tty.until(lambda: tty.shows("WhatsApp"), 30, "the accounts")
        tty.press("a", settle=0)  # add: the first network of the picker
        tty.until(lambda: tty.shows("enter choose"), 10, "the network picker")
        tty.press("\r", settle=0)  # WhatsApp; then its first way to sign in
        tty.until(lambda: tty.shows("How do you want to sign in"), 10, "the flow picker")
        tty.press("\r", settle=0)
        tty.until(lambda: world.open_session_count == 1, 10, "the login session to open")
        tty.until(lambda: tty.shows("Scan the QR code"), 10, "the wizard's first step")
        end(tty)
        TALLY["cases"] += 1
        code = tty.exit_code()
    TALLY["leaked"] += world.open_session_count
    assert code == (128 + signal.SIGHUP if way == "SIGHUP" else 0)  # quitting the home: 0
    assert world.open_session_count == 0


#: ``login``'s last words, written to a terminal that closed before they were: the app ended
#: as hung up (129); the outcome line fails with EIO. Run in a child on a pty of its own.
LAST_WORDS = (
    "import os, sys\n"
    "try: os.read(0, 1)\n"  # until the terminal is gone: end of input, or EIO
    "except OSError: pass\n"
    "from beeper_tui.login_command import say_outcome\n"
    "say_outcome('Cancelled', sys.stdout)\n"
    "sys.exit(129)"
)


def test_the_outcome_line_on_a_closed_terminal_keeps_the_hang_up_exit_code() -> None:
    """The closed-terminal race: the app's way out (129) sometimes finished before the
    hang-up's deadline, and then printing "Cancelled" to the dead terminal raised EIO — a
    traceback and exit 1 (or 120 from the interpreter's last flush). The line is dropped
    quietly instead and the exit code stays 128 + SIGHUP."""
    import os
    import subprocess

    master, slave = os.openpty()
    with subprocess.Popen(
        [sys.executable, "-c", LAST_WORDS],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,  # the pty is not its controlling terminal: no SIGHUP
    ) as child:
        os.close(slave)
        os.close(master)  # the terminal goes away: reads end, writes fail with EIO
        assert child.wait(15) == 128 + signal.SIGHUP


def test_a_login_that_cannot_be_cancelled_as_the_app_quits_is_told(tmp_path: Path) -> None:
    """Quitting a login while Beeper Desktop fails every cancel: once the screen is gone,
    one line on the terminal says the login is still open and who takes care of it."""
    world = build_demo_world(token=TOKEN)
    world.faults.add(
        "status", path="/v1/bridges/telegram/login-sessions/", method="DELETE", times=None
    )
    with beeper_tui_on_a_terminal(
        world, "login", "telegram", "--flow", "phone", config_home=tmp_path
    ) as tty:
        tty.until(lambda: tty.shows("Phone number"), 30, "the wizard's form")
        keys("\x1b", "y")(tty)  # Esc (the field has the focus, so q would be typed), "stop"
        assert tty.exit_code() == 1
        tty.read_to_the_end()
    told = tty.output.decode("utf-8", "replace")
    assert "couldn't cancel a login on Beeper Desktop" in told
    assert "takes care of it on its next start" in told
    assert world.open_session_count == 1  # the fault held to the end: it is still open


#: A bug planted in the accounts screen: it raises on its first frame.
PLANTED_BUG = (
    "from beeper_tui.tui.accounts.screen import AccountsScreen\n"
    "def boom(self, *args, **kwargs):\n"
    "    raise RuntimeError('a planted bug')\n"
    "AccountsScreen.on_mount = boom"
)


def test_a_crash_in_the_app_exits_2_never_1(tmp_path: Path) -> None:
    """Textual prints the traceback of a crash and ends with return code 1; for scripts 1
    means "needs attention" or "cancelled", so the command exits 2 (error) instead."""
    world = build_demo_world(token=TOKEN)
    with beeper_tui_on_a_terminal(world, config_home=tmp_path, prelude=PLANTED_BUG) as tty:
        code = tty.exit_code()
    assert code == 2
    assert b"a planted bug" in tty.output  # Textual showed what happened
