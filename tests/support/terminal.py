"""The real ``beeper-tui`` on a pseudo-terminal, for the tests that must see what reaches a
terminal (every byte it writes) and how a terminal ends it (hang-up, signals, closing).

The pty is the child's controlling terminal, so closing its master side is exactly what
closing a terminal window or a multiplexer pane does: the kernel hangs the terminal up
(SIGHUP) and reads and writes on it fail from then on. What the child writes is kept
(``output``) and fed to a terminal emulator (``pyte``) that knows the screen and the window
title, as a terminal would.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from beeper_tui.sim import World
from beeper_tui.sim.serve import running_server
from tests import token_guard

#: Makes the pty the child's controlling terminal, runs a prelude, then becomes ``beeper-tui``.
CONTROLLING_TTY = (
    "import fcntl, os, sys, termios; os.setsid(); fcntl.ioctl(0, termios.TIOCSCTTY, 0)\n"
    "{prelude}\n"
    "from beeper_tui.startup import main; sys.exit(main(sys.argv[1:]))"
)


class Terminal:
    """A child process on a pseudo-terminal; its output is read as it comes (so it never
    blocks writing) and drawn on an emulated screen of the same size."""

    def __init__(self, process: subprocess.Popen[bytes], master: int, size: tuple[int, int]):
        import pyte

        self.process = process
        self.master: int | None = master
        self.output = bytearray()
        self.screen: Any = pyte.Screen(*size)
        self._stream = pyte.ByteStream(self.screen)

    def drain(self, seconds: float = 0.05) -> bool:
        """Read what came within ``seconds``; False once the terminal has nothing more to give
        (every process on it has closed it: end of file, or EIO on Linux)."""
        if self.master is None:
            time.sleep(seconds)
            return False
        ready, _, _ = select.select([self.master], [], [], seconds)
        if ready:
            try:
                chunk = os.read(self.master, 1 << 16)
            except OSError:
                return False
            if not chunk:
                return False
            self.output += chunk
            token_guard.saw("the terminal", chunk)
            self._stream.feed(chunk)
        return True

    def read_to_the_end(self, seconds: float = 10) -> None:
        """Once the process ended: read all it wrote, up to the terminal's end."""
        deadline = time.monotonic() + seconds
        while self.drain() and time.monotonic() < deadline:
            pass

    def until(self, condition: Callable[[], object], seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                shown = "\n".join(self.screen.display)
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{shown}")
            self.drain()

    def shows(self, text: str) -> bool:
        return any(text in row for row in self.screen.display)

    def settle(self, seconds: float = 0.4) -> None:
        """Read output until none came for ``seconds``."""
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < seconds:
            before = len(self.output)
            self.drain(0.05)
            if len(self.output) != before:
                quiet_since = time.monotonic()

    def press(self, *keys: str, settle: float = 0.25) -> None:
        """Type each key, letting the app draw (no output for ``settle`` s) after each."""
        for key in keys:
            assert self.master is not None
            os.write(self.master, key.encode())
            self.settle(settle)

    def close(self) -> None:
        """The terminal goes away (window or pane closed)."""
        if self.master is not None:
            os.close(self.master)
            self.master = None

    def exit_code(self, seconds: float = 15) -> int:
        self.until(lambda: self.process.poll() is not None, seconds, "the app to exit")
        return self.process.returncode


@contextmanager
def beeper_tui_on_a_terminal(
    world: World,
    *args: str,
    config_home: Path,
    size: tuple[int, int] = (100, 30),
    prelude: str = "",
) -> Iterator[Terminal]:
    """``beeper-tui ARGS`` on a pty of ``size`` (columns, rows), talking to ``world`` served
    on a loopback port; ``prelude`` is Python run in the child first (e.g. to plant a bug)."""
    with (
        running_server(world) as base_url,
        beeper_tui_on_a_pty(
            base_url, world.token, *args, config_home=config_home, size=size, prelude=prelude
        ) as terminal,
    ):
        yield terminal


@contextmanager
def beeper_tui_on_a_pty(
    base_url: str,
    token: str,
    *args: str,
    config_home: Path | None = None,
    size: tuple[int, int] = (100, 30),
    prelude: str = "",
) -> Iterator[Terminal]:
    """``beeper-tui ARGS`` on a pty of ``size``, talking to the Beeper Desktop at ``base_url``
    (a server the caller keeps running, e.g. across two starts); ``config_home`` None keeps
    the suite's own config folder."""
    import fcntl
    import struct
    import termios

    columns, rows = size
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    os.set_blocking(master, False)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BEEPER_", "TEXTUAL"))}
    env.update(BEEPER_BASE_URL=base_url, BEEPER_ACCESS_TOKEN=token, TERM="xterm-256color")
    if config_home is not None:
        env["XDG_CONFIG_HOME"] = str(config_home)
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    process = subprocess.Popen(
        [sys.executable, "-c", CONTROLLING_TTY.format(prelude=prelude), *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    terminal = Terminal(process, master, size)
    try:
        yield terminal
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)
        terminal.close()
