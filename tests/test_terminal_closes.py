"""Closing the terminal cancels the login: the real ``beeper-tui login`` in a pseudo-terminal,
against the simulator on a loopback port, ended every way a terminal or a supervisor ends a
program. Each way leaves 0 login sessions open on the server, and exits with its code.

The pty is the child's controlling terminal, so closing its master side is exactly what
closing a terminal window or a multiplexer pane does: the kernel hangs the terminal up
(SIGHUP) and reads and writes on it fail from then on.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from beeper_tui.sim import World, build_demo_world
from beeper_tui.sim.serve import running_server

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals only")

TOKEN = "tok-hangup-test-7f3a"
#: Makes the pty the child's controlling terminal, then becomes ``beeper-tui``.
CONTROLLING_TTY = (
    "import fcntl, os, sys, termios; os.setsid(); fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "from beeper_tui.startup import main; sys.exit(main(sys.argv[1:]))"
)


class Terminal:
    """A child process on a pseudo-terminal whose output is read (and thrown away) so the
    child never blocks writing."""

    def __init__(self, process: subprocess.Popen[bytes], master: int) -> None:
        self.process = process
        self.master: int | None = master
        self.output = bytearray()

    def drain(self, seconds: float = 0.05) -> None:
        if self.master is None:
            time.sleep(seconds)
            return
        ready, _, _ = select.select([self.master], [], [], seconds)
        if ready:
            with suppress(OSError):
                self.output += os.read(self.master, 65536)

    def until(self, condition: Callable[[], bool], seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            self.drain()

    def close(self) -> None:
        """The terminal goes away (window or pane closed)."""
        if self.master is not None:
            os.close(self.master)
            self.master = None

    def exit_code(self, seconds: float = 15) -> int:
        self.until(lambda: self.process.poll() is not None, seconds, "the app to exit")
        return self.process.returncode


@contextmanager
def login_on_a_terminal(world: World, bridge: str, config_home: Path) -> Iterator[Terminal]:
    with running_server(world) as base_url:
        master, slave = os.openpty()
        os.set_blocking(master, False)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BEEPER_", "TEXTUAL"))}
        env.update(
            BEEPER_BASE_URL=base_url,
            BEEPER_ACCESS_TOKEN=TOKEN,
            TERM="xterm-256color",
            COLUMNS="100",
            LINES="30",
            XDG_CONFIG_HOME=str(config_home),
        )
        process = subprocess.Popen(
            [sys.executable, "-c", CONTROLLING_TTY, "login", bridge],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
        )
        os.close(slave)
        terminal = Terminal(process, master)
        try:
            yield terminal
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(5)
            terminal.close()


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
    with login_on_a_terminal(world, "local-signal", tmp_path) as terminal:
        terminal.until(lambda: world.open_session_count == 1, 30, "the login session to open")
        terminal.drain(0.3)  # the wizard shows its first step
        end(terminal)
        assert terminal.exit_code() == code
    assert world.open_session_count == 0
    deletes = [path for method, path in world.requests if method == "DELETE"]
    assert deletes and all("/login-sessions/" in path for path in deletes)
