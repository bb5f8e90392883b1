"""The end of a login that did not work (failed or cancelled), with a key to start again."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static

from beeper_tui.api.errors import BeeperError
from beeper_tui.api.models import LoginSession
from beeper_tui.text import clean_lines

# What common error codes mean, when the server's message is empty.
_PLAIN_WORDS = {
    "timeout": "The login took too long and timed out.",
    "expired": "The login session expired.",
    "cancelled": "The login was cancelled.",
    "invalid_credentials": "The sign-in details were not accepted.",
}


def plain_words(code: str | None, message: str | None) -> str:
    """The error as a sentence: the server's message, else a meaning for its code."""
    if message and message.strip():
        return message.strip()
    code = (code or "").lower()
    for key, words in _PLAIN_WORDS.items():
        if key in code:
            return words
    return "The login did not go through."


class SessionEnded(Widget):
    """Shows why a login session ended; ``r`` (or the button) posts ``Retry``, and the screen
    starts a fresh session."""

    BINDINGS = [Binding("r", "retry", "Try again")]

    DEFAULT_CSS = """
    SessionEnded {
        height: 1fr;
        padding: 0 1;
        #ended-title { text-style: bold; color: $text-error; margin-bottom: 1; }
        &.-cancelled #ended-title { color: $text-warning; }
        #ended-message { margin-bottom: 1; }
        #ended-detail { color: $text-muted; margin-bottom: 1; }
    }
    """

    class Retry(Message):
        """The person wants to try this login again, in a new session."""

    def __init__(
        self,
        session: LoginSession | None = None,
        *,
        code: str | None = None,
        message: str | None = None,
        hint: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.session = session
        error = session.error if session is not None else None
        self.cancelled = session is not None and session.status == "cancelled" and error is None
        self.code = code or (error.code if error else None)
        self.message = message or (error.message if error else None)
        self.hint = hint
        self.set_class(self.cancelled, "-cancelled")

    @classmethod
    def from_error(cls, error: BeeperError, **kwargs: str | None) -> SessionEnded:
        """For a session that ended with an HTTP error (e.g. a submit that failed)."""
        return cls(None, code=error.code, message=error.message, hint=error.hint, **kwargs)

    def compose(self) -> ComposeResult:
        title = "Login cancelled" if self.cancelled else "Login failed"
        yield Static(title, id="ended-title")
        words = (
            "The login was cancelled."
            if self.cancelled and not self.message
            else plain_words(self.code, self.message)
        )
        yield Static(Text(clean_lines(words)), id="ended-message")
        detail = Text()
        if self.hint:
            detail.append(clean_lines(self.hint) + "\n")
        if self.code:
            detail.append(f"Error code: {clean_lines(self.code)}")
        if detail:
            yield Static(detail, id="ended-detail")
        yield Button("Try again (r)", id="retry", variant="primary")

    def on_mount(self) -> None:
        self.call_after_refresh(self.query_one("#retry", Button).focus)

    @on(Button.Pressed, "#retry")
    def _retry_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_retry()

    def action_retry(self) -> None:
        self.post_message(self.Retry())
