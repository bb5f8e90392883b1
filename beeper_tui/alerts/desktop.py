"""Telling a person: the platform's own notifications, else the terminal's, else the bell.

- Linux (and other freedesktop systems): the D-Bus notification service through ``gdbus``
  (part of GLib, present wherever a desktop is), else ``notify-send``;
- macOS: ``osascript`` (``display notification``), the text passed as arguments, never spliced
  into the script;
- otherwise, or when that fails: the terminal's notification sequence (OSC 9 where the terminal
  is known to show it, OSC 777 elsewhere) and the bell, written only to a terminal.

What a notification says is server text: it goes through :func:`beeper_tui.text.one_line`
first, and inside an OSC a ``;`` (the sequence's field separator) becomes ``,``. Sending never
raises and never blocks for long: each command runs with a timeout (use :meth:`notify` from
async code, which runs it in a thread).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TextIO

from beeper_tui.alerts.breakage import Breakage
from beeper_tui.text import one_line

APP_NAME = "beeper-tui"
#: Seconds a notification command may take before it is given up on.
COMMAND_TIMEOUT = 2.0
TITLE_CELLS, BODY_CELLS = 80, 200
#: Terminals that show OSC 9 as a notification (the rest get OSC 777, rxvt's and foot's).
OSC9_TERMINALS = frozenset({"iTerm.app", "WezTerm", "ghostty", "WarpTerminal"})


@dataclass(frozen=True)
class Notification:
    """What a person is told, already safe: one line each, cleaned."""

    title: str
    body: str


class Notifier(Protocol):
    """Anything that can tell a person (the desktop one, or a recorder in tests)."""

    def send(self, note: Notification) -> str: ...


def describe_duration(seconds: float) -> str:
    """``42 s``, ``12 min``, ``3 h 5 min``, ``2 d 4 h``: how long an account was broken."""
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def notification_for(
    change: Breakage, *, name: str, network: str, status_text: str | None = None
) -> Notification:
    """The words for one transition: ``WhatsApp: Alice needs attention`` with the server's
    status text, or ``WhatsApp: Alice is back`` with how long it was broken."""
    who = f"{one_line(network, 30)}: {one_line(name, 40)}"
    if change.broke:
        return Notification(
            one_line(f"{who} needs attention", TITLE_CELLS),
            one_line(status_text or "Reconnect it in beeper-tui.", BODY_CELLS),
        )
    return Notification(
        one_line(f"{who} is back", TITLE_CELLS),
        f"Working again after {describe_duration(change.broken_for)}.",
    )


def _gvariant_string(text: str) -> str:
    """``text`` as a GVariant text-format string literal (what ``gdbus call`` parses)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _osc_field(text: str) -> str:
    """Server text made a safe OSC field: clean (no ESC, BEL or ST can end the sequence
    early) and without the ``;`` that separates the sequence's fields."""
    return one_line(text).replace(";", ",")


Runner = Callable[..., subprocess.CompletedProcess[bytes]]


class DesktopNotifier:
    """The platform's notifications, falling back to the terminal (see the module).
    Everything it touches is injectable, so tests record instead of notifying. ``terminal``
    is where the fallback sequence goes (``sys.stderr`` for ``watch``); None for none (the
    TUI, which owns its terminal, rings its own bell)."""

    def __init__(
        self,
        *,
        run: Runner = subprocess.run,
        which: Callable[[str], str | None] = shutil.which,
        platform: str = sys.platform,
        env: Mapping[str, str] | None = None,
        terminal: TextIO | None = None,
        timeout: float = COMMAND_TIMEOUT,
    ) -> None:
        self._run = run
        self._which = which
        self._platform = platform
        self._env = os.environ if env is None else env
        self._terminal = terminal
        self.timeout = timeout

    def commands(self, note: Notification) -> list[list[str]]:
        """The commands to try, best first, for this platform and what is installed."""
        tried: list[list[str]] = []
        if self._platform == "darwin":
            if self._which("osascript"):
                script = [
                    "on run argv",
                    "display notification (item 2 of argv) with title (item 1 of argv)",
                    "end run",
                ]
                lines = [part for line in script for part in ("-e", line)]
                tried.append(["osascript", *lines, note.title, note.body])
            return tried
        if self._platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
            if self._which("gdbus") and self._env.get("DBUS_SESSION_BUS_ADDRESS"):
                tried.append(
                    [
                        "gdbus",
                        "call",
                        "--session",
                        "--dest",
                        "org.freedesktop.Notifications",
                        "--object-path",
                        "/org/freedesktop/Notifications",
                        "--method",
                        "org.freedesktop.Notifications.Notify",
                        _gvariant_string(APP_NAME),
                        "0",
                        "''",
                        _gvariant_string(note.title),
                        _gvariant_string(note.body),
                        "[]",
                        "{}",
                        "-1",
                    ]
                )
            if self._which("notify-send"):
                tried.append(["notify-send", "--app-name", APP_NAME, "--", note.title, note.body])
        return tried

    def send(self, note: Notification) -> str:
        """Tell the person; the way it went (``gdbus``, ``notify-send``, ``osascript``,
        ``terminal`` or ``none``). Never raises."""
        for command in self.commands(note):
            if self._ran(command):
                return command[0]
        return self.to_terminal(note)

    async def notify(self, note: Notification) -> str:
        """:meth:`send` from async code, in a thread so the event loop never waits on it."""
        return await asyncio.to_thread(self.send, note)

    def _ran(self, command: Sequence[str]) -> bool:
        try:
            done = self._run(
                list(command),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=self.timeout,
                check=False,
            )
        except (OSError, subprocess.SubprocessError, ValueError):
            return False
        return done.returncode == 0

    def to_terminal(self, note: Notification) -> str:
        """The terminal's notification sequence and the bell — only when the stream is a
        terminal (a redirected stderr gets no escape sequences)."""
        try:
            if self._terminal is None or not self._terminal.isatty():
                return "none"
            title, body = _osc_field(note.title), _osc_field(note.body)
            if self._env.get("TERM_PROGRAM") in OSC9_TERMINALS:
                sequence = f"\x1b]9;{title}: {body}\x07"
            else:
                sequence = f"\x1b]777;notify;{title};{body}\x07"
            self._terminal.write(sequence + "\a")
            self._terminal.flush()
        except (OSError, ValueError):
            return "none"
        return "terminal"
