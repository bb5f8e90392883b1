"""The ``display_and_wait`` step with an emoji: compare it with the one on the phone."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Link, Static

from beeper_tui.api.models import DisplayAndWaitStep, EmojiDisplay
from beeper_tui.loginkit.emoji_url import emoji_from_url, emoji_name
from beeper_tui.text import clean_lines
from beeper_tui.tui.login.steps.base import StepWidget, step_instructions

DEFAULT_INSTRUCTIONS = "Check that your phone shows the same emoji, then confirm it there."


class EmojiStepWidget(StepWidget, can_focus=True):
    """Shows the emoji (when its URL names it) and the image's link to open or copy."""

    BINDINGS = [
        Binding("o", "open", "Open image"),
        Binding("y", "copy", "Copy link"),
    ]

    DEFAULT_CSS = """
    EmojiStepWidget {
        #emoji {
            width: auto;
            border: round $accent;
            padding: 0 2;
            margin-bottom: 1;
        }
        #emoji-link { margin-bottom: 1; }
    }
    """

    heading = "Compare the emoji"

    step: DisplayAndWaitStep

    @property
    def image_url(self) -> str:
        display = self.step.display
        return display.image_url if isinstance(display, EmojiDisplay) else ""

    def compose(self) -> ComposeResult:
        yield Static(self.heading, classes="step-heading")
        yield step_instructions(self.step.instructions or DEFAULT_INSTRUCTIONS)
        emoji = emoji_from_url(self.image_url)
        if emoji:
            shown = Text(emoji)
            if name := emoji_name(emoji):
                shown.append(f"  {name}", style="bold")
            yield Static(shown, id="emoji")
            yield Static("The picture, if your terminal can't show this emoji:", classes="hint")
        else:
            yield Static("The emoji is in the picture at this link:", classes="hint")
        yield Link(clean_lines(self.image_url), url=self.image_url, id="emoji-link")
        yield Static("o opens it in your browser · y copies the link", classes="hint")

    def action_open(self) -> None:
        self.open_in_browser(self.image_url, "the emoji picture")

    def action_copy(self) -> None:
        self.copy_to_clipboard(self.image_url, "the emoji picture's link")
