"""``WizardEnding``: how one login wizard ended — its ``LoginOutcome`` once known — and the one
way out of it, whichever key, timer or dialog asks (Esc, q, Ctrl-C, any key once connected, the
"connected" message's own timer, the flow picker's Back or Quit).

Leaving asks first while a step is under way ("Stop connecting WhatsApp?"). Then, once and for
good, it stops the wizard's requests, cancels its session on the server (one that can't be
cancelled now is retried in the background while the app stays: ``BeeperApp.cancel_later``),
and goes back to the screen that opened the wizard — closing what was opened over it
meanwhile — or quits, or ends ``beeper-tui login`` with its exit code (0 connected, 1 not).
The wizard screen owns one and keeps the keys that call it; the session is its driver's.
"""

from __future__ import annotations

from textual.screen import Screen

from beeper_tui.tui.app import BeeperApp
from beeper_tui.tui.login.driver import LoginSessionDriver
from beeper_tui.tui.login.leave_dialog import LeaveLoginDialog
from beeper_tui.tui.login.outcome import LoginOutcome
from beeper_tui.tui.login.target import LoginTarget


class WizardEnding:
    """The outcome of one wizard, and the way out of its ``screen``."""

    def __init__(self, screen: Screen[LoginOutcome], login: LoginTarget, *, ends_app: bool) -> None:
        """``ends_app``: leaving ends the app (``beeper-tui login``), with nowhere to go back."""
        self._screen = screen
        self._login = login
        self.ends_app = ends_app
        self.outcome: LoginOutcome | None = None
        """Set once the session ended (complete, failed, cancelled) or could not start."""
        self.leaving = False
        """The way out has begun, for good: no key acts on the wizard any more."""

    def leave_asking(self, driver: LoginSessionDriver, *, ask: bool, quit_app: bool) -> None:
        """Leave (or quit) — first asking "Stop connecting …?" when ``ask``."""
        if not ask:
            self.leave_soon(driver, quit_app=quit_app)
            return

        def confirmed(leave: bool | None) -> None:
            if leave:
                self.leave_soon(driver, quit_app=quit_app)

        self._screen.app.push_screen(LeaveLoginDialog(self._login.title().bridge), confirmed)

    def leave_soon(self, driver: LoginSessionDriver, *, quit_app: bool = False) -> None:
        """Leave from a worker of the screen's own (cancelling a session takes a request)."""
        if not self.leaving:
            leaving = self._leave(driver, quit_app=quit_app)
            self._screen.run_worker(leaving, group="leave", exit_on_error=False)

    async def _leave(self, driver: LoginSessionDriver, *, quit_app: bool) -> None:
        """Cancel what is open and go back (or quit, or end ``beeper-tui login``)."""
        if self.leaving:
            return
        self.leaving = True
        screen, app = self._screen, self._app
        screen.refresh_bindings()
        screen.workers.cancel_group(screen, "wait")
        screen.workers.cancel_group(screen, "send")
        if self.ends_app or quit_app:
            app.gate.stop()  # the app is leaving: a refused cancel is no reason to sign in
        if not await driver.cancel() and not (self.ends_app or quit_app):
            app.cancel_later(driver)  # says so, and tries again; the app stays
        if self.outcome is None:
            self.outcome = self._login.outcome("cancelled", driver.session)
        outcome = self.outcome
        if self.ends_app:
            code = 0 if outcome.status == "complete" else 1
            app.exit(code, return_code=code)
        elif quit_app:
            app.exit()
        else:
            await self._close_screens_above()
            screen.dismiss(outcome)

    async def _close_screens_above(self) -> None:
        """Close what was opened over the wizard meanwhile (the keys, the zoomed code), so that
        going back leaves the wizard itself — not the screen on top, stranding the wizard."""
        stack = self._app.screen_stack
        if self._screen in stack:
            for screen in reversed(stack[stack.index(self._screen) + 1 :]):
                await screen.dismiss()

    @property
    def _app(self) -> BeeperApp:
        app = self._screen.app
        assert isinstance(app, BeeperApp)  # as ``getters.app`` checks it
        return app
