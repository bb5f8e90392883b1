"""A step (or display) this version cannot drive, e.g. ``webauthn``: say so, show it, and point
to Beeper Desktop. Never a crash; Esc (the screen's) cancels the session."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from beeper_tui.api.models import DisplayAndWaitStep, UnknownDisplay, UnknownStep
from beeper_tui.text import clean_lines
from beeper_tui.tui.login.steps.base import StepWidget, step_instructions

ADVICE = (
    "beeper-tui can't do this step. Finish this login in Beeper Desktop instead; "
    "press Esc to cancel it here."
)
_JSON_LIMIT = 20_000


def step_type(step: Any) -> str:
    """The unknown type's name: the step's own, or ``display_and_wait/<display type>``."""
    if isinstance(step, DisplayAndWaitStep):
        return f"display_and_wait / {step.display.type}"
    return str(getattr(step, "type", "unknown"))


def raw_step(step: Any) -> dict[str, Any]:
    """The step as the server sent it, as far as it can be rebuilt."""
    if isinstance(step, UnknownStep) and step.raw:
        return step.raw
    if isinstance(step, DisplayAndWaitStep) and isinstance(step.display, UnknownDisplay):
        return {**step.to_wire(), "display": step.display.raw or step.display.to_wire()}
    to_wire = getattr(step, "to_wire", None)
    return to_wire() if callable(to_wire) else {"step": repr(step)}


class UnknownStepWidget(StepWidget, can_focus=True):
    """The step's type, its instructions, its JSON, and the advice to use Beeper Desktop."""

    BINDINGS = [Binding("y", "copy", "Copy step JSON")]

    DEFAULT_CSS = """
    UnknownStepWidget {
        #unknown-type { margin-bottom: 1; }
        #advice { color: $text-warning; margin-bottom: 1; }
        #raw-step {
            height: auto;
            max-height: 16;
            border: round $panel-lighten-2;
            border-title-color: $text-muted;
        }
    }
    """

    heading = "A step beeper-tui doesn't know"

    def compose(self) -> ComposeResult:
        yield Static(self.heading, classes="step-heading")
        kind = Text("Beeper Desktop asked for a step of type ")
        kind.append(clean_lines(step_type(self.step)), style="bold")
        kind.append(".")
        yield Static(kind, id="unknown-type")
        instructions = getattr(self.step, "instructions", None)
        if instructions:
            yield step_instructions(instructions)
        yield Static(ADVICE, id="advice")
        with VerticalScroll(id="raw-step") as raw:
            raw.border_title = "The step as sent (y copies it)"
            yield Static(Text(clean_lines(self.raw_json())))

    def raw_json(self) -> str:
        text = json.dumps(raw_step(self.step), indent=2, ensure_ascii=False, default=str)
        return text if len(text) <= _JSON_LIMIT else text[:_JSON_LIMIT] + "\n…"

    def action_copy(self) -> None:
        self.copy_to_clipboard(self.raw_json(), "the step's JSON")
