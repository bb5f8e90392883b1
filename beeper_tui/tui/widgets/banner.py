"""A banner across a screen that says what went wrong, what it means, and which key helps.

The text is server data more often than not (error messages, status texts), so it is built as
``rich.text.Text`` and never parsed as markup. Hidden while there is nothing to say.
"""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.widgets import Static

from beeper_tui.text import clean_lines

Severity = Literal["error", "warning", "information"]


class Banner(Static):
    """One message with an optional hint and a line of keys; hidden when cleared."""

    DEFAULT_CSS = """
    Banner {
        display: none;
        height: auto;
        margin: 0 1 1 1;
        padding: 0 1;
        border-left: thick $error;
        background: $error-muted;
        &.-shown { display: block; }
        &.-warning { border-left: thick $warning; background: $warning-muted; }
        &.-information { border-left: thick $primary; background: $primary-muted; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.message = ""
        """The message shown now ("" while hidden); tests and screens read it."""

    def show(
        self,
        message: str,
        hint: str = "",
        *,
        keys: str = "",
        severity: Severity = "error",
    ) -> None:
        """Show ``message`` (bold), then ``hint`` and ``keys`` (e.g. "r retry · esc leave")."""
        self.message = message
        text = Text(clean_lines(message), style="bold")
        if hint:
            text.append("\n")
            text.append(clean_lines(hint))
        if keys:
            text.append("\n")
            text.append(keys, style="italic")
        self.update(text)
        self.set_class(True, "-shown")
        for kind in ("warning", "information"):
            self.set_class(severity == kind, f"-{kind}")

    def clear(self) -> None:
        """Hide the banner."""
        self.message = ""
        self.update("")
        self.set_class(False, "-shown")

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")
