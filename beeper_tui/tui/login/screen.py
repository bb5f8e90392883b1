"""The login wizard: connect a new chat account, or reconnect a broken one, step by step.

The screen owns the login session. It creates it, draws each ``currentStep`` with the one step
registry (``widget_for``), submits what the person entered, and swaps in the next step — or,
when the server sends a newer version of the same step (a rotated QR code), lets the widget
redraw in place. The requests about the open session (the long-poll of a waiting step, the
submit of a finished one) are in ``LoginRequests``; how the wizard ended is a ``LoginOutcome``.

Whichever way the person leaves — Esc, q, Ctrl-C, SIGTERM, a failed worker, the app quitting —
the open session is cancelled on the server (``on_unmount``), and the app tracks it as a
safety net.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import NoActiveWorker, Worker, get_current_worker

from beeper_tui.api import errors
from beeper_tui.api.client import BeeperClient
from beeper_tui.api.models import APIError, Bridge, CompleteStep, LoginFlow, LoginSession, step_kind
from beeper_tui.text import clean_lines
from beeper_tui.tui.login.flow_picker import FlowPickerDialog, PickerExit
from beeper_tui.tui.login.header import (
    WizardHeader,
    WizardTitle,
    flow_name,
    purpose_of,
    step_title,
    unavailable_reason,
)
from beeper_tui.tui.login.leave_dialog import LeaveLoginDialog
from beeper_tui.tui.login.outcome import LoginOutcome, complete_step_of, login_outcome
from beeper_tui.tui.login.requests import LoginRequests
from beeper_tui.tui.login.steps import widget_for
from beeper_tui.tui.login.steps.base import StepWidget
from beeper_tui.tui.login.steps.session_ended import SessionEnded
from beeper_tui.tui.widgets.banner import Banner
from beeper_tui.tui.widgets.footer import Footer

__all__ = ["LoginOutcome", "LoginWizardScreen"]  # others import LoginOutcome from here

if TYPE_CHECKING:

    class LoginWizardPart(Screen[LoginOutcome]):
        """What the part mixed into ``LoginWizardScreen`` (``LoginRequests``) uses of it —
        for the type checker, which holds the screen to it."""

        bridge_id: str
        session: LoginSession | None
        _open_id: str | None

        async def _draw(self, session: LoginSession) -> None: ...
        async def _show_session(self, session: LoginSession) -> None: ...
        def _forget_session(self) -> None: ...
        @property
        def client(self) -> BeeperClient: ...
        @property
        def banner(self) -> Banner: ...
        @property
        def step_widget(self) -> StepWidget | None: ...


class LoginWizardScreen(LoginRequests, Screen[LoginOutcome]):
    """Sign in to one bridge: pick a flow, walk through its steps, show who was connected."""

    HELP_TITLE = "Login wizard"
    BINDINGS = [
        Binding("escape", "leave", "Back"),
        Binding("r", "retry", "Retry"),
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "app.help", "Keys"),
    ]

    DEFAULT_CSS = """
    LoginWizardScreen {
        #wizard-step { height: 1fr; }
        #wizard-note { padding: 1 2; }
    }
    """

    DONE_DELAY = 2.0
    """Seconds the "connected" message stays before the wizard goes back by itself."""

    def __init__(
        self,
        bridge_id: str,
        flow_id: str | None = None,
        login_id: str | None = None,
        account_id: str | None = None,
        *,
        exit_app_when_done: bool = False,
    ) -> None:
        super().__init__()
        self.bridge_id = bridge_id
        self.flow_id = flow_id
        self.login_id = login_id
        self.account_id = account_id
        self.exit_app_when_done = exit_app_when_done
        self.bridge: Bridge | None = None
        self.flows: list[LoginFlow] = []
        self.session: LoginSession | None = None
        """The latest answer of the server about the session."""
        self.outcome: LoginOutcome | None = None
        """Set once the session ended (complete, failed, cancelled) or could not start."""
        self.step_number = 0
        self._open_id: str | None = None  # the session open on the server, to cancel
        self._creating: asyncio.Future[LoginSession] | None = None
        self._leaving = False

    # --- Layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield WizardHeader(self._title(), id="wizard-header")
        yield Banner(id="wizard-banner")
        yield Container(Static("", id="wizard-note"), id="wizard-step")
        yield Footer()

    def on_mount(self) -> None:
        self.start()

    @property
    def client(self) -> BeeperClient:
        return self.app.client  # type: ignore[attr-defined, no-any-return]

    @property
    def banner(self) -> Banner:
        return self.query_one("#wizard-banner", Banner)

    @property
    def step_widget(self) -> StepWidget | None:
        """The step on screen, if any."""
        area = self.query_one("#wizard-step")
        return next((w for w in area.children if isinstance(w, StepWidget)), None)

    @property
    def reconnecting(self) -> bool:
        return bool(self.login_id or self.account_id)

    @property
    def in_progress(self) -> bool:
        """A session is open and the person is in the middle of it."""
        return self._open_id is not None and self.outcome is None

    def _title(self, step: str | None = None) -> WizardTitle:
        name = self.bridge.display_name if self.bridge else self.bridge_id
        purpose = purpose_of(self.bridge, self.login_id, self.account_id)
        return WizardTitle(name, purpose, flow_name(self.flows, self.flow_id), step)

    def _set_step_title(self, step: str | None) -> None:
        self.query_one(WizardHeader).show(self._title(step))

    async def _show(self, widget: StepWidget | SessionEnded | None, note: str = "") -> None:
        """Put ``widget`` in the step area — or, without one, a line of our own (loading,
        can't start)."""
        area = self.query_one("#wizard-step")
        await area.remove_children([w for w in area.children if w.id != "wizard-note"])
        note_widget = self.query_one("#wizard-note", Static)
        note_widget.update(Text(clean_lines(note)))
        note_widget.display = widget is None
        if widget is not None:
            await area.mount(widget)

    # --- Starting a session ------------------------------------------------------------------

    @work(exclusive=True, group="session", exit_on_error=False)
    async def start(self) -> None:
        """Read the bridge and its flows, let the person pick a flow, open a session. Anything
        still open from before is cancelled first: a retry is always a fresh session."""
        self._set_recovery(None)
        self.banner.clear()
        self.workers.cancel_group(self, "wait")
        await self._settle_creation()
        await self._cancel_session()
        self.outcome, self.step_number = None, 0
        name = self.bridge.display_name if self.bridge else self.bridge_id
        await self._show(None, f"Opening a login for {name}…")
        try:
            self.bridge = bridge = await self.client.bridge(self.bridge_id)
            self.flows = await self.client.login_flows(self.bridge_id)
        except errors.BeeperError as err:
            await self._show(None)
            self._show_error(err, "start")
            return
        self._set_step_title(None)
        if not self.reconnecting and not bridge.can_add_account:
            why = unavailable_reason(bridge)
            await self._show(None, f"{bridge.display_name} can't connect a new account now: {why}")
            self._set_step_title("Can't start")
            self.outcome = self._outcome("failed", error=APIError(code=bridge.status, message=why))
            self._set_recovery("start")
            return
        if self.flow_id is None and len(self.flows) > 1:
            await self._show(None, f"Choose how to sign in to {bridge.display_name}.")
            picker = FlowPickerDialog(bridge.display_name, self.flows)
            choice = await self.app.push_screen_wait(picker)
            if isinstance(choice, PickerExit):
                self._leave_soon(quit_app=choice is PickerExit.QUIT)
                return
            self.flow_id = choice
            self._set_step_title(None)
        await self._open_session()

    async def _open_session(self) -> None:
        """Create the session (never retried: a retry could open a second one) and show it.
        The request is shielded: if we leave meanwhile, its session is still cancelled."""
        self._creating = creating = asyncio.ensure_future(
            self.client.create_login_session(
                self.bridge_id,
                flow_id=self.flow_id,
                login_id=self.login_id,
                account_id=self.account_id,
            )
        )
        try:
            session = await asyncio.shield(creating)
        except errors.BeeperError as err:
            self._creating = None
            await self._show(None)
            self._show_error(err, "start")
            return
        self._creating = None
        self._hold_session(session)
        await self._show_session(session)

    # --- Showing steps -----------------------------------------------------------------------

    async def _show_session(self, session: LoginSession) -> None:
        """Draw the session's current step, then start its long-poll if it is a waiting one."""
        await self._draw(session)
        widget = self.step_widget
        if self.outcome is None and widget is not None and widget.waits:
            self.wait_for_display()

    async def _draw(self, session: LoginSession) -> None:
        """Draw the latest state of the session: the next step, the same step refreshed in
        place, or the end (complete, failed, cancelled)."""
        self.session = session
        step = session.current_step
        if session.ended or isinstance(step, CompleteStep):
            await self._finish(session)
            return
        if step is None:
            problem = f"Beeper Desktop sent no step (status {session.status})."
            self._show_error(errors.ProtocolError(problem), "reread")
            return
        widget = self.step_widget
        if (
            widget is not None
            and step_kind(widget.step) == step_kind(step)
            and widget.step.step_id == step.step_id
            and (widget.step == step or widget.refresh_step(step))
        ):
            widget.step = step
            return
        if widget is None or widget.step.step_id != step.step_id:
            self.step_number += 1
        widget = widget_for(step)
        self._set_step_title(f"Step {self.step_number} · {step_title(step, widget.heading)}")
        await self._show(widget)

    async def _finish(self, session: LoginSession) -> None:
        """The session ended: show who was connected, or why it stopped."""
        self._stop_waiting()
        self._forget_session()
        self._set_recovery(None)
        self.banner.clear()
        if session.status in ("failed", "cancelled"):
            self.outcome = self._outcome(session.status, session, error=session.error)
            self._set_step_title("Login failed" if session.status == "failed" else "Cancelled")
            await self._show(SessionEnded(session))
            self._set_recovery("fresh")
            return
        step = complete_step_of(session)
        self.outcome = self._outcome("complete", session, step)
        self._set_step_title("Done · Connected")
        await self._show(widget_for(step))
        self.set_timer(self.DONE_DELAY, self._leave_soon)

    def _outcome(
        self,
        status: str,
        session: LoginSession | None = None,
        step: CompleteStep | None = None,
        error: APIError | None = None,
    ) -> LoginOutcome:
        """How the wizard ended (or ends now), for the screen that opened it."""
        return login_outcome(
            status,
            bridge_id=self.bridge_id,
            flow_id=self.flow_id,
            login_id=self.login_id,
            account_id=self.account_id,
            session=session,
            step=step,
            error=error,
        )

    # --- Talking to the server (the requests are in LoginRequests) ---------------------------

    @on(StepWidget.Submitted)
    def _step_submitted(self, message: StepWidget.Submitted) -> None:
        message.stop()
        if self._sending:
            self.notify("Still sending the last step…", markup=False)
            return
        self._sending = True
        self.send_step(message)

    # --- Leaving -----------------------------------------------------------------------------

    def _stop_waiting(self) -> None:
        """Cancel the long-poll, unless it is the worker running this."""
        try:
            current: Worker[object] | None = get_current_worker()
        except NoActiveWorker:
            current = None
        for worker in self.workers:
            if worker.node is self and worker.group == "wait" and worker is not current:
                worker.cancel()

    def _hold_session(self, session: LoginSession) -> None:
        """The session is open on the server: ours to cancel, and the app's to cancel should
        the screen not get the chance."""
        self._open_id = session.login_session_id
        self.app.track_session(self.bridge_id, session.login_session_id)  # type: ignore[attr-defined]

    def _forget_session(self) -> None:
        """The session is over on the server: nothing to cancel any more."""
        if self._open_id is not None:
            self.app.untrack_session(self.bridge_id, self._open_id)  # type: ignore[attr-defined]
            self._open_id = None
            self.query("QRStepWidget").set(disabled=True)  # its code can't be scanned any more

    async def _cancel_session(self) -> None:
        """DELETE the open session (if any); a session already gone counts as cancelled."""
        session_id = self._open_id
        if session_id is None:
            return
        try:
            async with asyncio.timeout(3):
                await self.client.cancel_login_session(self.bridge_id, session_id)
        except errors.NotFound:
            pass
        except (errors.BeeperError, TimeoutError):
            return  # still tracked: the app tries again when it quits
        if self._open_id == session_id:
            self._forget_session()

    async def _settle_creation(self) -> None:
        """A create request still under way (its worker was cancelled): wait for its session,
        so that it can be cancelled too."""
        creating, self._creating = self._creating, None
        if creating is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(3):
                    session = await asyncio.shield(creating)
                    if not session.ended:
                        self._hold_session(session)

    async def on_unmount(self) -> None:
        """Every way out ends here: cancel the session still open on the server."""
        await self._settle_creation()
        await self._cancel_session()

    def _leave_soon(self, *, quit_app: bool = False) -> None:
        """Leave from a worker of its own (cancelling a session takes a request)."""
        if not self._leaving:
            self.run_worker(self._leave(quit_app=quit_app), group="leave", exit_on_error=False)

    async def _leave(self, *, quit_app: bool = False) -> None:
        """Cancel what is open and go back (or quit, or end ``beeper-tui login``)."""
        if self._leaving:
            return
        self._leaving = True
        self.workers.cancel_group(self, "wait")
        self.workers.cancel_group(self, "send")
        await self._cancel_session()
        outcome = self.outcome = self.outcome or self._outcome("cancelled", self.session)
        if self.exit_app_when_done:
            code = 0 if outcome.status == "complete" else 1
            self.app.exit(code, return_code=code)
        elif quit_app:
            self.app.exit()
        else:
            self.dismiss(outcome)

    def on_key(self, event: events.Key) -> None:
        """Once connected, any key goes back at once."""
        if self.outcome is not None and self.outcome.status == "complete":
            event.stop()
            self._leave_soon()

    # --- Keys --------------------------------------------------------------------------------

    def action_leave(self) -> None:
        """Esc: go back; while a step is under way, ask first (nothing to lose on a step this
        version can't drive)."""
        widget = self.step_widget
        stuck = widget is not None and step_kind(widget.step) == "unknown"
        if self.in_progress and not stuck:
            self.app.push_screen(LeaveLoginDialog(self._title().bridge), self._leave_confirmed)
        else:
            self._leave_soon()

    def _leave_confirmed(self, leave: bool | None) -> None:
        if leave:
            self._leave_soon()

    def action_quit(self) -> None:
        self._leave_soon(quit_app=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.recovery is not None
        return True

    def action_retry(self) -> None:
        if self.recovery == "reread" and self._open_id is not None:
            self.reread()
        elif self.recovery is not None:
            self.start()

    @on(SessionEnded.Retry)
    def _retry_ended(self, message: SessionEnded.Retry) -> None:
        message.stop()
        self.start()
