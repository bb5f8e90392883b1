"""The ``display_and_wait`` step with nothing to show: a spinner, the instructions, the time
spent waiting."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from beeper_tui.tui.login.steps.base import StepWidget, duration, step_instructions

DEFAULT_INSTRUCTIONS = "Finish signing in on your other device; this continues by itself."
SPINNER_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class WaitingStepWidget(StepWidget):
    """Waiting for something to happen elsewhere. The spinner and the elapsed time follow
    ``clock``, so a fixed clock draws the same frame every time (stable snapshots)."""

    DEFAULT_CSS = """
    WaitingStepWidget {
        #waiting { height: 1; }
        #spinner { width: 2; color: $accent; }
        #elapsed { width: 1fr; color: $text-muted; }
    }
    """

    heading = "Waiting…"

    def __init__(self, step: object, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(step, id=id, classes=classes)
        self.started_at = 0.0

    def compose(self) -> ComposeResult:
        yield Static(self.heading, classes="step-heading")
        yield step_instructions(self.step.instructions or DEFAULT_INSTRUCTIONS)
        with Horizontal(id="waiting"):
            yield Static(SPINNER_FRAMES[0], id="spinner")
            yield Static("", id="elapsed")

    def on_mount(self) -> None:
        self.started_at = self.clock()
        self._tick()
        self.set_interval(0.1, self._tick)

    def _tick(self) -> None:
        now = self.clock()
        frame = SPINNER_FRAMES[int(now * 10) % len(SPINNER_FRAMES)]
        self.query_one("#spinner", Static).update(frame)
        waited = Text(f"waiting {duration(now - self.started_at)}")
        self.query_one("#elapsed", Static).update(waited)
