"""``LoginRequests``: the part of ``LoginWizardScreen`` that talks to the server about the open
session, and says what ``r`` does when a request fails.

A ``display_and_wait`` step is submitted at once, in a worker that keeps the long-poll open
while the UI stays live; a finished form or cookies step is submitted in a worker of its own.
After a dropped connection the session is read again, and the login carries on where it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual import work
from textual.widgets import Input, TextArea
from textual.worker import Worker, WorkerState

from beeper_tui.api import errors
from beeper_tui.api.models import LoginSession
from beeper_tui.tui.login.steps.base import StepWidget

if TYPE_CHECKING:
    from beeper_tui.tui.login.screen import LoginWizardPart
else:  # a plain mixin at run time; its @on handlers stay on the screen itself
    LoginWizardPart = object

Recovery = Literal["start", "reread", "fresh"]
"""What ``r`` does now: start over from the bridge, re-read the session, or open a new one."""

RETRY_KEYS = {
    "start": "r try again · esc leave",
    "reread": "r retry (carries on where the login was) · esc leave",
    "fresh": "r start a new login · esc leave",
}


class LoginRequests(LoginWizardPart):
    """Long-poll, submit and re-read the wizard's session; on failure, a banner and the right
    retry (a mixin of ``LoginWizardScreen``)."""

    def __init__(self) -> None:
        super().__init__()
        self.recovery: Recovery | None = None
        self._sending = False

    @work(exclusive=True, group="wait", exit_on_error=False)
    async def wait_for_display(self) -> None:
        """Long-poll the displayed step until something happens; draw each answer (a rotated
        QR code redraws in place) and wait again while the step still waits."""
        while True:
            session, session_id, widget = self.session, self._open_id, self.step_widget
            if session is None or session_id is None or widget is None or not widget.waits:
                return
            step_id = (session.current_step and session.current_step.step_id) or ""
            try:
                answer = await self._wait_once(session_id, step_id)
            except errors.BeeperError as err:
                self._request_failed(err)
                return
            if session_id != self._open_id:
                return  # the person started over meanwhile
            await self._draw(answer)

    async def _wait_once(self, session_id: str, step_id: str) -> LoginSession:
        """One long-poll. A 409 means the session moved on before the poll arrived (it was
        scanned meanwhile): read where it is now instead."""
        try:
            return await self.client.submit_step(
                self.bridge_id, session_id, step_id, type="display_and_wait"
            )
        except errors.Conflict:
            return await self.client.login_session(self.bridge_id, session_id)

    @work(exclusive=True, group="send", exit_on_error=False)
    async def send_step(self, message: StepWidget.Submitted) -> None:
        """Submit a finished form or cookies step; a validation error lands on its fields."""
        session, session_id, widget = self.session, self._open_id, self.step_widget
        step = session.current_step if session else None
        if step is None or session_id is None:
            self._sending = False
            return
        self.banner.clear()
        if widget is not None:
            widget.loading = True
        try:
            answer = await self.client.submit_step(
                self.bridge_id,
                session_id,
                step.step_id or message.step_id,  # the latest stepID is the one submitted
                type=message.step_type or step.type,
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
        if session_id == self._open_id:
            await self._show_session(answer)

    @work(exclusive=True, group="session", exit_on_error=False)
    async def reread(self) -> None:
        """Read the session again (after a dropped connection) and carry on from its step."""
        session_id = self._open_id
        if session_id is None:
            return
        self._set_recovery(None)
        self.banner.show("Checking the login session…", severity="information")
        try:
            session = await self.client.login_session(self.bridge_id, session_id)
        except errors.BeeperError as err:
            self._request_failed(err)
            return
        self.banner.clear()
        await self._show_session(session)

    # --- When a request fails ----------------------------------------------------------------

    def _request_failed(self, err: errors.BeeperError) -> None:
        """A request about the open session failed: say so and offer the right retry."""
        if not isinstance(err, errors.NotFound):
            self._show_error(err, "reread")
            return
        self._forget_session()
        self.banner.show(
            "This login session has expired or is gone.",
            "A login session lasts at most 30 minutes. Start again for a new one.",
            keys=RETRY_KEYS["fresh"],
        )
        self._set_recovery("fresh")

    def _show_error(self, err: errors.BeeperError, recovery: Recovery) -> None:
        self.banner.show(err.message, err.hint, keys=RETRY_KEYS[recovery])
        self._set_recovery(recovery)

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
        error = event.worker.error
        recovery: Recovery = "reread" if self._open_id else "start"
        self.banner.show(
            f"Something unexpected went wrong: {type(error).__name__}: {error}",
            "Retry, or leave and start again.",
            keys=RETRY_KEYS[recovery],
        )
        self._set_recovery(recovery)
