"""Being told when an account breaks: which transitions notify (and which never do), and how
the desktop notifier says it — with the platform's commands replaced by a recorder."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime, timedelta
from typing import Any

from beeper_tui.alerts.breakage import Breakage, BreakageTracker
from beeper_tui.alerts.desktop import DesktopNotifier, Notification, notification_for
from beeper_tui.api.models import Health

OK, BROKEN, WORKING, OFF = Health.OK, Health.ATTENTION, Health.WORKING, Health.OFF
START = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


def told(changes: list[Breakage]) -> list[tuple[str, str]]:
    return [(c.account_id, "broke" if c.broke else "back") for c in changes]


# --- Which transitions notify ---------------------------------------------------------------


def test_first_snapshot_says_nothing_even_with_broken_accounts() -> None:
    tracker = BreakageTracker(Clock())
    assert tracker.update({"alice": BROKEN, "bob": OK}) == []
    assert tracker.broken_since("alice") == START
    assert tracker.broken_since("bob") is None


def test_breaking_and_coming_back_notify_once_each() -> None:
    clock = Clock()
    tracker = BreakageTracker(clock)
    tracker.update({"alice": OK, "bob": OK})
    clock.advance(1)
    assert told(tracker.update({"alice": BROKEN, "bob": OK})) == [("alice", "broke")]
    clock.advance(12)
    back = tracker.update({"alice": OK, "bob": OK})
    assert told(back) == [("alice", "back")]
    assert back[0].broken_for == 12 * 60
    assert tracker.broken_since("alice") is None


def test_a_row_that_stays_broken_never_notifies_again() -> None:
    clock = Clock()
    tracker = BreakageTracker(clock)
    tracker.update({"alice": OK})
    assert told(tracker.update({"alice": BROKEN})) == [("alice", "broke")]
    for state in (BROKEN, BROKEN, WORKING, BROKEN, WORKING, BROKEN):
        clock.advance(1)
        assert tracker.update({"alice": state}) == []
    assert tracker.broken_since("alice") == START  # still counted from the first breakage


def test_outage_recovery_is_compared_with_the_state_before_it() -> None:
    """Beeper Desktop unreachable for a while (polls failed, so nothing was fed), then back:
    only what really changed meanwhile is told — no storm."""
    clock = Clock()
    tracker = BreakageTracker(clock)
    accounts = {f"acct{i}": OK for i in range(20)} | {"alice": BROKEN, "bob": BROKEN}
    tracker.update(accounts)
    clock.advance(30)  # the outage: polls failed
    after = accounts | {"acct3": BROKEN, "bob": OK}
    assert sorted(told(tracker.update(after))) == [("acct3", "broke"), ("bob", "back")]
    assert tracker.update(after) == []


def test_server_restarting_with_everything_connecting_is_no_storm() -> None:
    tracker = BreakageTracker(Clock())
    accounts = {f"acct{i}": OK for i in range(10)} | {"alice": BROKEN}
    tracker.update(accounts)
    assert tracker.update(dict.fromkeys(accounts, WORKING)) == []
    assert tracker.update({}) == []  # restarting: lists nothing yet
    assert tracker.update(accounts) == []  # alice reappears still broken: no news


def test_new_account_appearing_broken_is_told_but_turning_off_is_not() -> None:
    tracker = BreakageTracker(Clock())
    tracker.update({"alice": BROKEN})
    assert told(tracker.update({"alice": BROKEN, "carol": BROKEN})) == [("carol", "broke")]
    assert tracker.update({"alice": OFF, "carol": BROKEN}) == []  # turned off: not "back"
    assert tracker.broken_since("alice") is None
    assert told(tracker.update({"alice": BROKEN, "carol": BROKEN})) == [("alice", "broke")]


# --- What a notification says ------------------------------------------------------------------


def test_notification_text_is_cleaned_server_text() -> None:
    change = Breakage("alice", True, START, START)
    note = notification_for(
        change,
        name="Alice\x1b]0;pwned\x07\nExample",
        network="WhatsApp\u202e",
        status_text="Logged out;\x1b[2J please scan again",
    )
    for text in (note.title, note.body):
        assert "\x1b" not in text and "\x07" not in text and "\n" not in text
        assert "\u202e" not in text
    assert note.title.startswith("WhatsApp") and "needs attention" in note.title
    assert "please scan again" in note.body
    back = notification_for(
        Breakage("alice", False, START, START + timedelta(minutes=75)), name="A", network="W"
    )
    assert back.title == "W: A is back" and "1 h 15 min" in back.body


class Recorder:
    """Stands in for subprocess.run: records each command, answers with ``status``."""

    def __init__(self, status: int = 0, raises: Exception | None = None) -> None:
        self.commands: list[list[str]] = []
        self.options: list[dict[str, Any]] = []
        self.status = status
        self.raises = raises

    def __call__(self, command: list[str], **options: Any) -> subprocess.CompletedProcess[bytes]:
        self.commands.append(command)
        self.options.append(options)
        if self.raises:
            raise self.raises
        return subprocess.CompletedProcess(command, self.status)


class Terminal(io.StringIO):
    def __init__(self, tty: bool = True) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def notifier(recorder: Recorder, *, installed: set[str], platform: str = "linux", **kw: Any):
    env = kw.pop("env", {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"})
    return DesktopNotifier(
        run=recorder,
        which=lambda name: f"/usr/bin/{name}" if name in installed else None,
        platform=platform,
        env=env,
        terminal=kw.pop("terminal", Terminal()),
        **kw,
    )


NOTE = Notification("WhatsApp: Alice's phone needs attention", "Logged out; scan again")


def test_linux_uses_dbus_with_quoted_text_and_a_timeout() -> None:
    recorder = Recorder()
    assert notifier(recorder, installed={"gdbus", "notify-send"}).send(NOTE) == "gdbus"
    [command] = recorder.commands
    assert command[:2] == ["gdbus", "call"] and "org.freedesktop.Notifications.Notify" in command
    assert "'WhatsApp: Alice\\'s phone needs attention'" in command
    assert recorder.options[0]["timeout"] <= 5


def test_linux_falls_back_to_notify_send_then_the_terminal() -> None:
    recorder = Recorder(status=1)  # the D-Bus service refuses
    terminal = Terminal()
    way = notifier(recorder, installed={"gdbus", "notify-send"}, terminal=terminal).send(NOTE)
    assert [c[0] for c in recorder.commands] == ["gdbus", "notify-send"]
    assert recorder.commands[1][-2:] == [NOTE.title, NOTE.body]
    assert way == "terminal"
    assert terminal.getvalue().startswith("\x1b]777;notify;")


def test_macos_passes_the_text_as_arguments_to_osascript() -> None:
    recorder = Recorder()
    way = notifier(recorder, installed={"osascript"}, platform="darwin").send(NOTE)
    assert way == "osascript"
    command = recorder.commands[0]
    assert command[-2:] == [NOTE.title, NOTE.body]  # never spliced into the script
    assert all(NOTE.title not in part for part in command[:-2])


def test_terminal_sequence_has_no_server_separators_and_rings_the_bell() -> None:
    terminal = Terminal()
    hostile = Notification("W: x;evil", "body\x07;\x1b\\ more")
    notifier(Recorder(), installed=set(), env={}, terminal=terminal).send(hostile)
    out = terminal.getvalue()
    assert out.endswith("\x07\a")
    inside = out[len("\x1b]777;notify;") : -2]
    assert inside.count(";") == 1 and "\x1b" not in inside and "\x07" not in inside
    iterm = Terminal()
    notifier(Recorder(), installed=set(), env={"TERM_PROGRAM": "iTerm.app"}, terminal=iterm).send(
        hostile
    )
    assert iterm.getvalue().startswith("\x1b]9;") and iterm.getvalue().count(";") == 1


def test_no_escape_sequences_into_a_redirected_stream() -> None:
    piped = Terminal(tty=False)
    assert notifier(Recorder(), installed=set(), terminal=piped).send(NOTE) == "none"
    assert piped.getvalue() == ""


def test_a_hanging_or_missing_command_never_raises() -> None:
    hanging = Recorder(raises=subprocess.TimeoutExpired(["gdbus"], 2))
    assert notifier(hanging, installed={"gdbus"}).send(NOTE) == "terminal"
    missing = Recorder(raises=FileNotFoundError("gdbus"))
    assert notifier(missing, installed={"gdbus", "notify-send"}).send(NOTE) == "terminal"
    assert len(missing.commands) == 2


async def test_notify_from_async_code_runs_in_a_thread() -> None:
    import threading

    threads: list[str] = []

    def run(command: list[str], **options: Any) -> subprocess.CompletedProcess[bytes]:
        threads.append(threading.current_thread().name)
        return subprocess.CompletedProcess(command, 0)

    way = await DesktopNotifier(
        run=run, which=lambda n: n, platform="linux", env={"DBUS_SESSION_BUS_ADDRESS": "x"}
    ).notify(NOTE)
    assert way == "gdbus" and threads and threads[0] != threading.main_thread().name
