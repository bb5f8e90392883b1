"""``StepArea``: the part of the login wizard under its header where the current step is drawn —
one step widget from the registry, or, without one, a line of the wizard's own ("Opening a
login for WhatsApp…", why it can't start).

It swaps one step for the next in a single frame and lets the step on screen redraw a newer
version of itself in place (a rotated QR code); which step comes, and when, is the screen's.
"""

from __future__ import annotations

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.containers import Container
from textual.widgets import Static

from beeper_tui.api.models import LoginStep, step_kind
from beeper_tui.text import clean_lines
from beeper_tui.tui.login.steps.base import StepWidget
from beeper_tui.tui.login.steps.session_ended import SessionEnded


class StepArea(Container):
    """The step on screen, or the wizard's note when there is none."""

    DEFAULT_CSS = """
    StepArea {
        height: 1fr;
        #wizard-note { padding: 1 2; }
    }
    """

    note = getters.child_by_id("wizard-note", Static)

    def compose(self) -> ComposeResult:
        yield Static("", id="wizard-note")

    @property
    def step_widget(self) -> StepWidget | None:
        """The step on screen, if any."""
        return next((w for w in self.children if isinstance(w, StepWidget)), None)

    def shows_step(self, step_id: str | None) -> bool:
        """The step on screen is the one with ``step_id`` (maybe an older version of it)."""
        widget = self.step_widget
        return widget is not None and widget.step.step_id == step_id

    def redraw_in_place(self, step: LoginStep) -> bool:
        """Give ``step`` to the step on screen when it is a newer version of the same step
        that the widget can show itself (or the very same); False when a new widget must be
        mounted."""
        widget = self.step_widget
        if (
            widget is not None
            and step_kind(widget.step) == step_kind(step)
            and widget.step.step_id == step.step_id
            and (widget.step == step or widget.refresh_step(step))
        ):
            widget.step = step
            return True
        return False

    async def show(self, widget: StepWidget | SessionEnded | None, note: str = "") -> None:
        """Put ``widget`` here — or, without one, the line ``note`` (loading, can't start)."""
        # One frame for the whole swap (a frame per step was ~half of it): repaints wait for
        # the batch, and the new step takes the focus at once (every focus change repaints the
        # whole screen) instead of a frame later.
        with self.app.batch_update():
            await self.remove_children([w for w in self.children if w.id != "wizard-note"])
            self.note.update(Text(clean_lines(note)))
            self.note.display = widget is None
            if widget is not None:
                await self.mount(widget)
                if isinstance(widget, StepWidget):
                    widget.focus_first()

    def disable_codes(self) -> None:
        """The session is over on the server: a QR code still on screen can't be scanned."""
        self.query("QRStepWidget").set(disabled=True)
