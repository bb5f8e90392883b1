"""Closing the terminal cancels the login: the real ``beeper-tui login`` in a pseudo-terminal,
against the simulator on a loopback port, ended every way a terminal or a supervisor ends a
program. Each way leaves 0 login sessions open on the server, and exits with its code."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from beeper_tui.sim import build_demo_world
from tests.terminal_support import Terminal, beeper_tui_on_a_terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals only")
pytest.importorskip("pyte", reason="drawing the terminal needs the dev extra (pyte)")

TOKEN = "tok-hangup-test-7f3a"
#: What every run tried, for benchmarks/hostile_report.py.
TALLY = {"cases": 0, "leaked": 0}


def hang_up(terminal: Terminal) -> None:
    terminal.process.send_signal(signal.SIGHUP)


def close_the_terminal(terminal: Terminal) -> None:
    terminal.close()


def terminate(terminal: Terminal) -> None:
    terminal.process.send_signal(signal.SIGTERM)


def interrupt_from_outside(terminal: Terminal) -> None:
    terminal.process.send_signal(signal.SIGINT)


@pytest.mark.parametrize(
    ("end", "code"),
    [
        (hang_up, 128 + signal.SIGHUP),
        (close_the_terminal, 128 + signal.SIGHUP),
        (terminate, 128 + signal.SIGTERM),
        (interrupt_from_outside, 1),  # "cancelled", not 0
    ],
    ids=["SIGHUP", "terminal-closed", "SIGTERM", "outside-SIGINT"],
)
def test_every_way_a_terminal_ends_a_login_cancels_its_session(
    end: Callable[[Terminal], None], code: int, tmp_path: Path
) -> None:
    world = build_demo_world(token=TOKEN)
    with beeper_tui_on_a_terminal(world, "login", "local-signal", config_home=tmp_path) as tty:
        tty.until(lambda: world.open_session_count == 1, 30, "the login session to open")
        tty.until(lambda: tty.shows("Signal"), 10, "the wizard to show its first step")
        end(tty)
        TALLY["cases"] += 1
        exit_code = tty.exit_code()
    TALLY["leaked"] += world.open_session_count
    assert exit_code == code
    assert world.open_session_count == 0
    deletes = [path for method, path in world.requests if method == "DELETE"]
    assert deletes and all("/login-sessions/" in path for path in deletes)
