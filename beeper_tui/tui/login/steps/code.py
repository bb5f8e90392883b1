"""The ``display_and_wait`` step with a code to type on the other device, shown big."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.renderables.digits import DIGITS
from textual.widgets import Digits, Static

from beeper_tui.api.models import CodeDisplay, DisplayAndWaitStep
from beeper_tui.text import clean_lines
from beeper_tui.tui.login.steps.base import StepWidget, step_instructions

DEFAULT_INSTRUCTIONS = "Enter this code on your other device."
# Textual's Digits draws only these (digits, A-F, a few symbols); longer codes would overflow.
_DIGITS_DRAWS = frozenset(DIGITS)
_DIGITS_MAX_LENGTH = 16


def fits_digits(code: str) -> bool:
    """True when Textual's 3×3 Digits can draw every character of ``code``."""
    return 0 < len(code) <= _DIGITS_MAX_LENGTH and all(char in _DIGITS_DRAWS for char in code)


def spaced(code: str) -> Text:
    """A code with room between its characters (easier to read out), bold."""
    text = clean_lines(code)
    return Text(" ".join(text) if len(text) <= 40 else text, style="bold")


class CodeStepWidget(StepWidget, can_focus=True):
    """The code in big characters (Digits when it can draw them), and a key to copy it."""

    BINDINGS = [Binding("y", "copy", "Copy code")]

    DEFAULT_CSS = """
    CodeStepWidget {
        #code-digits, #code-big {
            width: auto;
            border: round $accent;
            padding: 0 2;
            color: $text-accent;
        }
        #code-big { padding: 1 3; }
        #code-plain { margin-top: 1; }
    }
    """

    heading = "Enter the code on your other device"

    step: DisplayAndWaitStep

    @property
    def code(self) -> str:
        display = self.step.display
        return display.data if isinstance(display, CodeDisplay) else ""

    def compose(self) -> ComposeResult:
        yield Static(self.heading, classes="step-heading")
        yield step_instructions(self.step.instructions or DEFAULT_INSTRUCTIONS)
        if fits_digits(self.code):
            yield Digits(self.code, id="code-digits")
        else:
            yield Static(spaced(self.code), id="code-big")
        plain = Text("Code: ", style="dim")
        plain.append(clean_lines(self.code))
        plain.append("  · y copies it", style="dim")
        yield Static(plain, id="code-plain")

    def action_copy(self) -> None:
        self.copy_to_clipboard(self.code, "the code")
