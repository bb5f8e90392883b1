"""``BeeperApp``: the Textual application. It owns the API client and every open login session.

Screens own their workers; the app makes sure that, whichever way it ends (q, Ctrl-Q, SIGTERM,
a crash in a worker), each login session it opened is cancelled on the server before the client
closes: the wizards' drivers record each session they open in ``open_sessions``.

With several Beeper Desktops (the config file's ``[targets.NAME]``) the app holds one
:class:`DesktopTarget` per target, each with its own client and its own open sessions; the
first is ``conn`` (the sign-in screens are about it), and every action on an account goes to
the client of the account's own target.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.app import App
from textual.binding import Binding

from beeper_tui.api.client import BeeperClient
from beeper_tui.api.models import Bridge
from beeper_tui.connect import Connection, NamedConnection
from beeper_tui.flow_memory import FlowMemory
from beeper_tui.gc_pause import resume_collection
from beeper_tui.hangup import on_hangup, watching
from beeper_tui.login_journal import LoginJournal
from beeper_tui.text import clean, encodable
from beeper_tui.tui.login.open_sessions import OpenSessions

if TYPE_CHECKING:
    from beeper_tui.alerts.account_alerts import AccountAlerts
    from beeper_tui.tui.login.driver import LoginSessionDriver


class LoginTarget(NamedTuple):
    """What ``beeper-tui login`` was asked to open."""

    bridge_id: str
    flow_id: str | None = None
    login_id: str | None = None
    account_id: str | None = None


@dataclass
class DesktopTarget:
    """One Beeper Desktop the app manages: its name (``None`` when it is the only one), its
    connection, and the login sessions open on it (cancelled on its own client)."""

    name: str | None
    conn: Connection
    sessions: OpenSessions

    @property
    def client(self) -> BeeperClient:
        return self.conn.client


class BeeperApp(App[int]):
    """Beeper account manager."""

    TITLE = "beeper-tui"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(
        self,
        conn: Connection,
        *,
        refresh: float = 10.0,
        bell: bool = False,
        notify: bool = False,
        login_target: tuple[str, str | None, str | None, str | None] | None = None,
        target_name: str | None = None,
        more_targets: Sequence[NamedConnection] = (),
    ) -> None:
        """``conn`` is the (first) Beeper Desktop; ``more_targets`` the others, when the
        config file names several (then ``target_name`` is ``conn``'s name)."""
        super().__init__()
        self.conn = conn
        self.refresh_interval = refresh
        self.bell_on_breakage = bell
        self.login_target = LoginTarget(*login_target) if login_target else None
        self.account_alerts: AccountAlerts | None = None
        """``--notify``: desktop notifications as accounts break and come back."""
        if notify:  # the alerts' modules only when asked for
            from beeper_tui.alerts.account_alerts import desktop_alerts

            self.account_alerts = desktop_alerts(None)
        self.login_journal = None if conn.world else LoginJournal.in_state_dir()
        """Every login session open on a real Beeper Desktop, on disk until it ends, so the
        next start can cancel what a crash left open (the embedded demo's die with it)."""
        self.open_sessions = OpenSessions(self.login_journal, conn.client.base_url)
        self.flow_memory = FlowMemory(None) if conn.world else FlowMemory.in_state_dir()
        """The login flows that worked last (the picker's default), on disk beside the
        journal; the demo's bridges are not the person's, so its memory dies with it."""
        """Every login session open on the server, cancelled when the app ends."""
        self._first_name = target_name if more_targets else None
        self._more_targets = [
            DesktopTarget(
                other.name,
                other.connection,
                OpenSessions(self.login_journal, other.connection.client.base_url),
            )
            for other in more_targets
        ]
        self.login_wizard: Any = None
        """``beeper-tui login``'s wizard, kept after the app ends for its ``outcome``."""
        self._first_bridges: asyncio.Task[list[Bridge]] | None = None
        self._leaving: asyncio.Task[None] | None = None
        self._signal_code: int | None = None
        #: Login sessions the app could not cancel as it ended (Beeper Desktop failing).
        self.left_open = 0
        """128 + the signal that ends the app (SIGTERM, SIGHUP), once one arrived."""
        self._signal_handlers_before: dict[int, Any] = {}
        self._first_setup: asyncio.Task[object] | None = None
        from beeper_tui.tui.signin.gate import DesktopGate  # it names the app back: no cycle

        #: Chooses the first screen, and brings the sign-in back when the token stops working.
        self.gate = DesktopGate(self)

    @property
    def client(self) -> BeeperClient:
        return self.conn.client

    @property
    def targets(self) -> list[DesktopTarget]:
        """Every Beeper Desktop, the first being ``conn`` (whichever the sign-in screens
        made it: another address, the demo)."""
        first = DesktopTarget(self._first_name, self.conn, self.open_sessions)
        return [first, *self._more_targets]

    # --- Lifecycle ------------------------------------------------------------------------------

    def on_load(self) -> None:
        """Ask for the accounts while Textual is still starting (terminal, styles, the first
        screen), so that the home screen's first frame can already show them."""
        if self.login_target is None:
            if self.client.has_token:
                task = asyncio.create_task(self.client.bridges())
                task.add_done_callback(lambda done: done.cancelled() or done.exception())
                self._first_bridges = task
            setup = asyncio.create_task(self.client.app_setup())
            setup.add_done_callback(lambda done: done.cancelled() or done.exception())
            self._first_setup = setup

    def take_first_bridges(self) -> Awaitable[list[Bridge]] | None:
        """The answer :meth:`on_load` asked for, once; ``None`` after that."""
        task, self._first_bridges = self._first_bridges, None
        return task

    def on_mount(self) -> None:
        self.call_after_refresh(resume_collection)  # paused by the console script's start-up
        self._catch_leaving_signals()
        if self.login_journal is not None and self.login_journal.entries():
            # Sessions a beeper-tui that crashed left open, off the first frame's path (and
            # with none recorded, nothing imported or asked): the account manager offers to
            # resume or cancel each; ``beeper-tui login`` asks nothing and cancels them.
            journal = self.login_journal
            if self.login_target is None:
                from beeper_tui.tui.login.leftover_offer import offer_leftovers

                self.run_worker(
                    offer_leftovers(self, journal, self.targets),
                    group="leftovers",
                    exit_on_error=False,
                )
            else:
                from beeper_tui.login_leftovers import settle_quietly

                for desktop in self.targets:
                    client = desktop.client
                    self.run_worker(settle_quietly(client, journal, client.base_url))
        if self.login_target:
            from beeper_tui.tui.login.screen import LoginWizardScreen

            target = self.login_target
            self.login_wizard = LoginWizardScreen(
                target.bridge_id,
                flow_id=target.flow_id,
                login_id=target.login_id,
                account_id=target.account_id,
                exit_app_when_done=True,
            )
            self.push_screen(self.login_wizard)
            self.gate.watch_token()
        else:
            self._open_first_screen()

    def _open_first_screen(self) -> None:
        """The accounts, or the screen that says what stands in the way (``tui/signin``)."""
        setup, self._first_setup = self._first_setup, None
        self.gate.start(self._first_bridges, setup)

    def copy_to_clipboard(self, text: str) -> None:
        """Copy server data (an ID, a QR code's data) as it is, except a lone surrogate, which
        no terminal clipboard can take (it is copied as ``�`` instead of raising)."""
        super().copy_to_clipboard(encodable(text))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Once the app is on its way out (``q``, a signal), no key acts any more: a ``?``
        pressed right after ``q`` would open help on a screen being torn down."""
        return self.return_code is None

    def action_help(self) -> None:
        """``?``: every key of the current screen (again closes it)."""
        from beeper_tui.tui.screens.help import HelpDialog

        if isinstance(self.screen, HelpDialog):
            self.screen.dismiss(None)
        else:
            self.push_screen(HelpDialog())

    def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None:
        """Exit; after SIGTERM or SIGHUP, whoever asks, with 128 + that signal. A terminal
        that went away counts as SIGHUP even when its end reached the app as end of input
        before the signal did. From now on a refused token is no reason to sign in again:
        the screens' sessions are cancelled on the way out, refused or not."""
        self.gate.stop()
        if self._signal_code is None and _terminal_gone(self):
            self._signal_code = 128 + getattr(signal, "SIGHUP", 1)
        if self._signal_code is not None:
            result = return_code = self._signal_code
        super().exit(result, return_code, message)

    async def action_quit(self) -> None:
        """Ctrl-C / Ctrl-Q / q. While a login is under way, the wizard asks "stop connecting?"
        first; a second Ctrl-C (the question on screen) quits at once. Under ``beeper-tui
        login``, a login that did not complete exits 1. Open sessions are cancelled on the way
        out either way."""
        from beeper_tui.tui.login.leave_dialog import LeaveLoginDialog
        from beeper_tui.tui.login.screen import LoginWizardScreen

        stack = reversed(self.screen_stack)
        wizard = next((s for s in stack if isinstance(s, LoginWizardScreen)), None)
        asking = isinstance(self.screen, LeaveLoginDialog)
        # not after a signal cancelled them all
        still_open = any(len(target.sessions) > 0 for target in self.targets)
        if wizard is not None and still_open and wizard.asks_before_leaving and not asking:
            wizard.action_quit()
            return
        outcome = wizard.outcome if wizard is not None else None
        if self.login_target is not None and (outcome is None or outcome.status != "complete"):
            self.exit(1, return_code=1)
        else:
            self.exit()

    def _catch_leaving_signals(self) -> None:
        """Handle the leaving signals at the Python level rather than with the loop's
        ``add_signal_handler``: the handler then runs even while the event loop is stuck,
        as it is when the terminal went away and Textual's writer blocks on it."""
        loop = asyncio.get_running_loop()

        def caught(signum: int, frame: object) -> None:
            if signum == getattr(signal, "SIGHUP", None):
                _end_if_stuck(128 + signum, seconds=_HANGUP_GRACE)
            with contextlib.suppress(RuntimeError):  # the loop already closed
                loop.call_soon_threadsafe(self._on_leaving_signal, signum)

        if watching():  # the console script hears SIGHUP off the main thread
            on_hangup(lambda: caught(signal.SIGHUP, None))

        for signum in _leaving_signals():
            with contextlib.suppress(ValueError, OSError):  # ValueError: not the main thread
                self._signal_handlers_before[signum] = signal.signal(signum, caught)

    def _on_leaving_signal(self, signum: int) -> None:
        """SIGTERM, or SIGHUP (the terminal closed: its window, its pane, or the multiplexer
        went away): cancel every open login session first, then exit 128 + the signal.
        Sessions go first because the terminal may be gone, and a way out that begins by
        restoring it may never get as far as ``on_unmount``. A SIGINT from outside (``kill
        -INT``; in the terminal Ctrl-C is a key) quits as Ctrl-C does: under ``beeper-tui
        login`` a login that did not complete is "cancelled" (exit 1)."""
        if self._leaving is not None:
            return
        if signum != signal.SIGINT:
            # Cancelling the sessions ends the wizard's login, and the wizard then exits on
            # its own ("cancelled", 1) before ``leave`` gets to say 128 + the signal.
            self._signal_code = 128 + signum

        async def leave() -> None:
            try:
                await self.cancel_open_sessions()
            finally:
                if signum == signal.SIGINT:
                    await self.action_quit()
                else:
                    self.exit(128 + signum, return_code=128 + signum)

        self._leaving = asyncio.get_running_loop().create_task(leave())

    def cancel_later(self, driver: LoginSessionDriver) -> None:
        """The person left a wizard whose session could not be cancelled (Beeper Desktop is
        failing): say so, and keep trying the DELETE in the background (``cancel_all`` tries
        once more as the app ends), so that the session still closes."""
        why = driver.cancel_error
        held = driver.let_go()
        if held is None:
            return
        said = "Couldn't cancel the login on Beeper Desktop; beeper-tui will try again."
        self.notify(
            f"{said} {clean(why.explanation)}" if why else said,
            title="Login still open",
            severity="warning",
            markup=False,
        )

        async def retry() -> None:
            if await self.open_sessions.cancel_later(self.client, *held):
                self.notify("The login left open on Beeper Desktop is cancelled now.")

        self.run_worker(retry(), group="cancel-later", exit_on_error=False)

    async def cancel_open_sessions(self) -> None:
        """DELETE every login session still open; those that could not be cancelled are
        counted in ``left_open`` (the command line tells the person once the screen is gone)."""
        self.gate.stop()  # leaving: a refused token now is no reason to sign in again
        for target in self.targets:
            self.left_open += await target.sessions.cancel_all(target.client)

    async def on_unmount(self) -> None:
        self.gate.stop()
        if self._first_setup is not None:
            self._first_setup.cancel()
        if self._first_bridges is not None:
            self._first_bridges.cancel()
        await self.cancel_open_sessions()
        for target in self.targets:
            with contextlib.suppress(Exception):
                await target.client.aclose()
        on_hangup(None)
        for signum, before in self._signal_handlers_before.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(signum, before)
        self._signal_handlers_before.clear()


def _terminal_gone(app: App[Any]) -> bool:
    """The terminal the app runs in was hung up: isatty of its stdout turns
    False."""
    if app.is_headless:
        return False
    try:
        return not os.isatty(sys.__stdout__.fileno()) if sys.__stdout__ else False
    except (OSError, ValueError):
        return True


def _leaving_signals() -> list[int]:
    """Signals that end the app the way quitting does (open sessions cancelled): SIGTERM,
    SIGHUP (how a terminal says it went away) and SIGINT from outside. (Windows has only
    some.)"""
    names = ("SIGTERM", "SIGHUP", "SIGINT")
    return [getattr(signal, name) for name in names if hasattr(signal, name)]


#: Seconds after a hang-up before the process ends even if its way out is stuck.
_HANGUP_GRACE = 3.0


def _end_if_stuck(code: int, *, seconds: float) -> None:
    """End the process with ``code`` in ``seconds`` unless it has ended by then.

    After a hang-up the terminal is gone: Textual's writer thread dies on the first write
    (EIO) and the next writes block the event loop for good, so the normal way out may never
    finish. The open sessions are cancelled first (see ``_on_leaving_signal``); this makes
    sure no process is left behind either. A daemon thread: it dies with a process that
    ended normally."""

    def end() -> None:
        time.sleep(seconds)
        os._exit(code)

    threading.Thread(target=end, name="beeper-tui-hangup", daemon=True).start()
