"""The ``complete`` step: who was connected, on which network."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from beeper_tui.api.models import CompleteStep
from beeper_tui.text import clean_lines
from beeper_tui.tui.login.steps.base import StepWidget, step_instructions


def connected_text(step: CompleteStep) -> Text:
    """ "Alice Example is connected on WhatsApp." from the account (or login) the step names."""
    name = network = ""
    if step.account is not None:
        name = step.account.user.display_name
        network = step.account.network or step.account.bridge.type
    elif step.login is not None and step.login.user is not None:
        name = step.login.user.display_name
    if not name:
        return Text("Your account is connected.")
    text = Text()
    text.append(clean_lines(name), style="bold")
    text.append(" is connected")
    if network:
        text.append(" on ")
        text.append(clean_lines(network), style="bold")
    text.append(".")
    return text


class CompleteStepWidget(StepWidget):
    """The login worked."""

    DEFAULT_CSS = """
    CompleteStepWidget {
        #connected { color: $text-success; margin-bottom: 1; }
    }
    """

    heading = "✓ Connected"

    step: CompleteStep

    def compose(self) -> ComposeResult:
        yield Static(self.heading, classes="step-heading")
        yield Static(connected_text(self.step), id="connected")
        if self.step.instructions:
            yield step_instructions(self.step.instructions)
