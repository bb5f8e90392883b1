"""The login wizard: connect a new chat account, or reconnect a broken one, step by step.

The screen draws each ``currentStep`` with the one step registry (``widget_for``) in its
``StepArea``, which swaps in the next step — or, when the server sends a newer version of the
same step (a rotated QR code), lets the widget redraw in place. It keeps the workers, the
drawing and the keys, and owns three plain collaborators: the ``LoginTarget`` (what it logs
into: bridge, flow, the account being fixed; the header's words, the flow picker's choice, the
flow memory's lessons, the ``LoginOutcome``), the ``LoginSessionDriver`` (the session: the
workers call it to create, long-poll, submit, reread and cancel, and draw each answer) and the
``WizardEnding`` (how it ended, and the one way out). When a request fails, the screen says so
in a banner and knows what ``r`` does now.

Whichever way the person leaves — Esc, q, Ctrl-C, SIGTERM, a failed worker, the app quitting —
the open session is cancelled on the server (``on_unmount``), and the app's ``OpenSessions``
holds it as a safety net.
"""

from __future__ import annotations

from textual import events, getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, TextArea
from textual.worker import NoActiveWorker, Worker, WorkerState, get_current_worker

from beeper_tui.api import errors
from beeper_tui.api.client import BeeperClient
from beeper_tui.api.models import CompleteStep, LoginSession, step_kind
from beeper_tui.tui.app import BeeperApp, DesktopTarget
from beeper_tui.tui.login.driver import LoginSessionDriver
from beeper_tui.tui.login.ending import WizardEnding
from beeper_tui.tui.login.flow_picker import PickerExit, pick_flow
from beeper_tui.tui.login.header import WizardHeader
from beeper_tui.tui.login.outcome import LoginOutcome, complete_step_of, different_account_words
from beeper_tui.tui.login.recovery import Recovery, Trouble, failed_request, unforeseen
from beeper_tui.tui.login.step_area import StepArea
from beeper_tui.tui.login.steps import widget_for
from beeper_tui.tui.login.steps.base import StepWidget
from beeper_tui.tui.login.steps.form import FormStepWidget, account_prefill
from beeper_tui.tui.login.steps.session_ended import SessionEnded
from beeper_tui.tui.login.target import LoginTarget
from beeper_tui.tui.login.wizard_title import step_title
from beeper_tui.tui.widgets.banner import Banner
from beeper_tui.tui.widgets.footer import Footer

__all__ = ["LoginOutcome", "LoginWizardScreen"]  # others import LoginOutcome from here


class LoginWizardScreen(Screen[LoginOutcome]):
    """Sign in to one bridge: pick a flow, walk through its steps, show who was connected."""

    HELP_TITLE = "Login wizard"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("escape", "leave", "Leave", tooltip="Stop connecting and leave"),
        Binding("r", "retry", "Retry"),
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "app.help", "Keys"),
    ]

    DONE_DELAY = 2.0
    """Seconds the "connected" message stays before the wizard goes back by itself."""

    app = getters.app(BeeperApp)
    banner = getters.query_one("#wizard-banner", Banner)
    header = getters.query_one(WizardHeader)
    step_area = getters.query_one("#wizard-step", StepArea)

    def __init__(
        self,
        bridge_id: str,
        flow_id: str | None = None,
        login_id: str | None = None,
        account_id: str | None = None,
        *,
        exit_app_when_done: bool = False,
        target: DesktopTarget | None = None,
        resume_session: str | None = None,
    ) -> None:
        """``target``: the Beeper Desktop to sign in on, with several (default: the app's).
        ``resume_session``: carry on with a session opened earlier (a leftover of a
        beeper-tui that crashed) at its current step, instead of opening a new one."""
        super().__init__()
        self.target = target
        self.login_target = LoginTarget(
            bridge_id,
            flow_id,
            login_id,
            account_id,
            desktop=target.name if target is not None and target.name else None,
            resume_session=resume_session,
        )
        self.ending = WizardEnding(self, self.login_target, ends_app=exit_app_when_done)
        self.step_number = 0
        self.recovery: Recovery | None = None
        self._driver: LoginSessionDriver | None = None
        self._sending = False

    # --- Layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield WizardHeader(self.login_target.title(), id="wizard-header")
        yield Banner(id="wizard-banner")
        yield StepArea(id="wizard-step")
        yield Footer()

    def on_mount(self) -> None:
        sessions = self.target.sessions if self.target else self.app.open_sessions
        self._driver = LoginSessionDriver(
            self.client, self.login_target.bridge_id, tracker=sessions
        )
        self.start()

    @property
    def client(self) -> BeeperClient:
        """The client of the Beeper Desktop this login is on."""
        return self.target.client if self.target else self.app.client

    @property
    def driver(self) -> LoginSessionDriver:
        """The login session (made when the screen is mounted, on the app's client)."""
        if self._driver is None:
            raise RuntimeError("the wizard's session is made when the screen is mounted")
        return self._driver

    @property
    def outcome(self) -> LoginOutcome | None:
        """How the wizard ended (complete, failed, cancelled) or could not start; None before."""
        return self.ending.outcome

    @property
    def step_widget(self) -> StepWidget | None:
        """The step on screen, if any."""
        return self.step_area.step_widget

    @property
    def asks_before_leaving(self) -> bool:
        """Leaving now would stop a login under way (a session is open and has not ended): Esc,
        q and Ctrl-C ask first — not on a step this version can't drive: nothing to lose there."""
        widget = self.step_widget
        stuck = widget is not None and step_kind(widget.step) == "unknown"
        return self.driver.open_id is not None and self.outcome is None and not stuck

    @property
    def back_to_picker(self) -> bool:
        """Esc goes back to the flow picker: the flow was picked there and the person is on
        its first step."""
        return self.login_target.picked_flow and self.step_number <= 1 and self.outcome is None

    @property
    def has_back(self) -> bool:
        """Esc goes back somewhere: to the picker, or to the screen that opened the wizard
        (under ``beeper-tui login`` it ends the command, like q)."""
        return self.back_to_picker or not self.ending.ends_app

    def _set_step_title(self, step: str | None) -> None:
        self.header.show(self.login_target.title(step))
        self.refresh_bindings()  # where Esc goes may have changed

    # --- Starting a session ------------------------------------------------------------------

    @work(exclusive=True, group="session", exit_on_error=False)
    async def start(self) -> None:
        """Read the bridge and its flows, let the person pick a flow, open a session. Anything
        still open from before is cancelled first: a retry is always a fresh session."""
        login = self.login_target
        self._set_recovery(None)
        self.banner.clear()
        self.workers.cancel_group(self, "wait")
        self.workers.cancel_group(self, "send")
        if not await self.driver.close():
            self.app.cancel_later(self.driver)  # says so, and tries again in the background
        self.ending.outcome, self.step_number, login.flow_in_use = None, 0, None
        await self.step_area.show(None, f"Opening a login for {login.bridge_name}…")
        try:
            bridge = await login.read(self.client)
        except errors.BeeperError as err:
            await self._cannot_start(err)
            return
        self._set_step_title(None)
        if login.resume_session is not None:
            await self._resume_session(login.resume_session)
            return
        problem = login.cant_add()
        if problem is not None:
            why = f"{bridge.display_name} can't connect a new account now. {problem.message}"
            await self.step_area.show(None, why)
            self._set_step_title("Can't start")
            self.ending.outcome = login.outcome("failed", error=problem)
            self._set_recovery("start")
            return
        if login.asks_for_flow:
            await self.step_area.show(None, f"Choose how to sign in to {bridge.display_name}.")
            choice = await pick_flow(self.app, login, has_back=not self.ending.ends_app)
            if isinstance(choice, PickerExit):
                self._leave_soon(quit_app=choice is PickerExit.QUIT)
                return
            login.pick(choice)
            self._set_step_title(None)
        await self._open_session()

    async def _open_session(self) -> None:
        """Create the session (the driver never retries it) and show its first step."""
        login = self.login_target
        try:
            session = await self.driver.create(
                flow_id=login.flow_id, login_id=login.login_id, account_id=login.account_id
            )
        except errors.BeeperError as err:
            await self._cannot_start(err)
            return
        login.session_opened()
        await self._show_session(session)

    async def _resume_session(self, session_id: str) -> None:
        """Carry on with a session opened earlier, at the step it is on now (a waiting step's
        long-poll starts again). Gone (404): it can only be started afresh."""
        try:
            session = await self.driver.resume(session_id)
        except errors.NotFound as err:
            self.login_target.resume_session = None
            await self.step_area.show(None)
            self._request_failed(err)
            return
        except errors.BeeperError as err:
            await self._cannot_start(err)  # r asks for the same session again
            return
        self.login_target.resume_session = None
        await self._show_session(session)

    # --- Showing steps -----------------------------------------------------------------------

    async def _show_session(self, session: LoginSession) -> None:
        """Draw the session's current step, then start its long-poll if it is a waiting one."""
        await self._draw(session)
        if self.outcome is None and self.driver.waiting:
            self.wait_for_display()

    async def _draw(self, session: LoginSession) -> None:
        """Draw the latest state of the session: the next step, the same step refreshed in
        place, or the end (complete, failed, cancelled)."""
        step = session.current_step
        if session.ended or isinstance(step, CompleteStep):
            await self._finish(session)
            return
        if step is None:
            problem = f"Beeper Desktop sent no step (status {session.status})."
            self._show_error(errors.ProtocolError(problem), "reread")
            return
        area = self.step_area
        if area.redraw_in_place(step):
            return
        if not area.shows_step(step.step_id):
            self.step_number += 1
        widget = widget_for(step)
        account = self.login_target.fixing
        if isinstance(widget, FormStepWidget) and account is not None:
            widget.prefill = account_prefill(account.user)
        if step_kind(step) == "unknown":
            self.login_target.reached_step_it_cannot_do(self.app.flow_memory)
        self._set_step_title(f"Step {self.step_number} · {step_title(step, widget.heading)}")
        await area.show(widget)

    async def _finish(self, session: LoginSession) -> None:
        """The session ended: show who was connected, or why it stopped."""
        login = self.login_target
        self._stop_waiting()
        self.step_area.disable_codes()
        self._set_recovery(None)
        self.banner.clear()
        if session.status in ("failed", "cancelled"):
            self.ending.outcome = login.outcome(session.status, session, error=session.error)
            self._set_step_title("Login failed" if session.status == "failed" else "Cancelled")
            await self.step_area.show(SessionEnded(session))
            self._set_recovery("fresh")
            return
        step = complete_step_of(session)
        outcome = self.ending.outcome = login.outcome("complete", session)
        login.succeeded(self.app.flow_memory, outcome)
        if outcome.different_account:  # never "reconnected": say it and let it be read
            self._set_step_title("Done · A different account was added")
            await self.step_area.show(widget_for(step))
            added, still_broken = different_account_words(outcome)
            self.banner.show(added, still_broken, severity="warning", keys="any key goes back")
            return
        self._set_step_title("Done · Connected")
        await self.step_area.show(widget_for(step))
        self.set_timer(self.DONE_DELAY, self._leave_soon)

    # --- Talking to the server: the workers that run the driver -----------------------------

    @work(exclusive=True, group="wait", exit_on_error=False)
    async def wait_for_display(self) -> None:
        """Long-poll the displayed step until something happens; draw each answer (a rotated
        QR code redraws in place) while the step still waits."""
        try:
            async for answer in self.driver.waits():
                await self._draw(answer)
        except errors.BeeperError as err:
            self._request_failed(err)

    @on(StepWidget.Submitted)
    def _step_submitted(self, message: StepWidget.Submitted) -> None:
        message.stop()
        if self._sending:
            self.notify("Still sending the last step…", markup=False)
            return
        self._sending = True
        self.send_step(message)

    @work(exclusive=True, group="send", exit_on_error=False)
    async def send_step(self, message: StepWidget.Submitted) -> None:
        """Submit a finished form or cookies step; a validation error lands on its fields."""
        widget = self.step_widget
        self.banner.clear()
        if widget is not None:
            widget.loading = True
        try:
            answer = await self.driver.submit(
                step_id=message.step_id,
                type=message.step_type,
                fields=message.fields,
                last_url=message.last_url,
                source=message.source,
            )
        except errors.Invalid as err:
            if not (err.issues and widget is not None):
                self._show_error(err, "reread")
                return
            widget.show_issues(err.issues)
            hint = "Fix the highlighted field and try again."
            self.banner.show(err.message, hint, severity="warning")
            return
        except errors.BeeperError as err:
            self._request_failed(err)
            return
        finally:
            self._sending = False
            if widget is not None and widget.is_attached:
                widget.loading = False
        if answer is not None:
            await self._show_session(answer)

    @work(exclusive=True, group="session", exit_on_error=False)
    async def reread(self) -> None:
        """Read the session again (after a dropped connection) and carry on from its step."""
        if self.driver.open_id is None:
            return
        self._set_recovery(None)
        self.banner.show("Checking the login session…", severity="information")
        try:
            session = await self.driver.reread()
        except errors.BeeperError as err:
            self._request_failed(err)
            return
        self.banner.clear()
        if session is not None:
            await self._show_session(session)

    def _stop_waiting(self) -> None:
        """Cancel the long-poll, unless it is the worker running this."""
        try:
            current: Worker[object] | None = get_current_worker()
        except NoActiveWorker:
            current = None
        for worker in self.workers:
            if worker.node is self and worker.group == "wait" and worker is not current:
                worker.cancel()

    # --- When a request fails: the banner, and what r does now --------------------------------

    async def _cannot_start(self, err: errors.BeeperError) -> None:
        """The login could not start (or carry on): an empty step area, and r tries again."""
        await self.step_area.show(None)
        self._show_error(err, "start")

    def _request_failed(self, err: errors.BeeperError) -> None:
        """A request about the open session failed: say so and offer the right retry (the
        driver has already let go of a session that is gone)."""
        if isinstance(err, errors.NotFound):  # gone: a QR code on screen can't be scanned
            self.step_area.disable_codes()
        self._show_trouble(failed_request(err))

    def _show_error(self, err: errors.BeeperError, recovery: Recovery) -> None:
        self._show_trouble(Trouble(err.message, err.hint, recovery))

    def _show_trouble(self, trouble: Trouble) -> None:
        self.banner.show(trouble.message, trouble.hint, keys=trouble.keys)
        self._set_recovery(trouble.recovery)

    def _set_recovery(self, recovery: Recovery | None) -> None:
        """Say what ``r`` does now. While it can retry, no input keeps the focus, or the
        ``r`` would be typed into it."""
        self.recovery = recovery
        if recovery is not None and isinstance(self.focused, Input | TextArea):
            self.set_focus(None)
        self.refresh_bindings()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker failed in a way nobody foresaw: a banner, never a traceback."""
        if event.state is not WorkerState.ERROR or event.worker.node is not self:
            return
        if self.ending.leaving or not self.is_attached:
            return  # the wizard is going: nothing left to tell
        self._show_trouble(unforeseen(event.worker.error, self.driver.open_id is not None))

    # --- Leaving -----------------------------------------------------------------------------

    async def on_unmount(self) -> None:
        """Every way out ends here: cancel the session still open on the server (a create
        still in flight included)."""
        if self._driver is not None:
            await self._driver.close()

    def _leave_soon(self, *, quit_app: bool = False) -> None:
        """Cancel what is open and go back (or quit, or end ``beeper-tui login``)."""
        self.ending.leave_soon(self.driver, quit_app=quit_app)

    def on_key(self, event: events.Key) -> None:
        """Once connected, any key goes back at once."""
        if self.outcome is not None and self.outcome.status == "complete":
            event.stop()
            self._leave_soon()

    # --- Keys --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.ending.leaving:
            return False  # the wizard is being torn down: no key acts on it any more
        if action == "back":
            return self.has_back
        if action == "retry":
            return self.recovery is not None
        return True

    def action_back(self) -> None:
        """Esc where there is a back: on the first step of a picked flow, back to the picker
        (its session is cancelled); elsewhere, leave as ``action_leave`` does."""
        if self.back_to_picker:
            self.login_target.pick(None)
            self.start()
        else:
            self.action_leave()

    def action_leave(self) -> None:
        """Esc: go back; while a step is under way, ask first."""
        self.ending.leave_asking(self.driver, ask=self.asks_before_leaving, quit_app=False)

    def action_quit(self) -> None:
        """q (and Ctrl-C, through the app): quit; while a step is under way, ask first."""
        self.ending.leave_asking(self.driver, ask=self.asks_before_leaving, quit_app=True)

    def action_retry(self) -> None:
        if self.recovery == "reread" and self.driver.open_id is not None:
            self.reread()
        elif self.recovery is not None:
            self.start()

    @on(SessionEnded.Retry)
    def _retry_ended(self, message: SessionEnded.Retry) -> None:
        message.stop()
        self.start()
