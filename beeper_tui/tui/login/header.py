"""The login wizard's header: which network, new account or whose reconnect, which flow, whom
to sign in as (a reconnect keeps the same login only when the person signs in as the same
account), which step — so the person always knows where they are.

    WhatsApp · Reconnect Amara Okafor · QR code
    Sign in as Amara Okafor, +234 803 555 0101
    Step 2 · Enter the code

The words are a ``WizardTitle`` (``wizard_title.py``, no Textual); every part may come from the
server (names, flow titles), so it is drawn as plain text.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from beeper_tui.text import clean_lines
from beeper_tui.tui.login.wizard_title import WizardTitle


class WizardHeader(Static):
    """Two lines: bridge · purpose · flow, then the step."""

    DEFAULT_CSS = """
    WizardHeader {
        height: auto;
        padding: 0 1;
        margin-bottom: 1;
        background: $panel;
        border-bottom: solid $primary;
    }
    """

    def __init__(self, title: WizardTitle, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.wizard_title = title

    def on_mount(self) -> None:
        self.show(self.wizard_title)

    def show(self, title: WizardTitle) -> None:
        """Draw ``title``."""
        self.wizard_title = title
        text = Text(clean_lines(title.top_line), style="bold")
        if title.sign_in_as:
            text.append("\n")
            text.append(clean_lines(title.sign_in_as))
        text.append("\n")
        text.append(clean_lines(title.step or " "), style="italic")
        self.update(text)

    @property
    def plain(self) -> str:
        """The header as plain text, for tests and screen readers of the log."""
        title = self.wizard_title
        lines = [title.top_line, title.sign_in_as, title.step or ""]
        return "\n".join(line for line in lines if line is not None)
