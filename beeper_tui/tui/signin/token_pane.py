"""``TokenPane``: paste an access token made in Beeper Desktop. The input is masked; the token
is tried with a real request before it is accepted; "remember on this computer" (on by
default) saves it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Static

if TYPE_CHECKING:
    from beeper_tui.tui.signin.gate import DesktopGate


class TokenPane(Vertical):
    """Posts ``Accepted`` once a pasted token worked."""

    DEFAULT_CSS = """
    TokenPane {
        height: auto;
        #token-title { text-style: bold; margin-bottom: 1; }
        #token-where { margin-bottom: 1; }
        #token-problem { color: $error; height: auto; }
    }
    """

    class Accepted(Message):
        """Beeper Desktop accepted ``token``; save it when ``remember``."""

        def __init__(self, token: str, remember: bool) -> None:
            super().__init__()
            self.token = token
            self.remember = remember

    def __init__(self, gate: DesktopGate, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.gate = gate

    def compose(self) -> ComposeResult:
        yield Static("Paste an access token", id="token-title")
        yield Static(
            Text.assemble(
                "Make one in Beeper Desktop:\n",
                ("Settings → Developers → Approved connections → +", "bold"),
            ),
            id="token-where",
        )
        yield Input(password=True, placeholder="Access token", id="token")
        yield Checkbox("Remember on this computer", value=True, id="remember")
        yield Static("", id="token-problem")

    def begin(self) -> None:
        """Show it empty, ready for a paste."""
        field = self.query_one("#token", Input)
        field.value = ""
        self.query_one("#token-problem", Static).update("")
        field.focus()

    @property
    def problem(self) -> str:
        """What is wrong with the last token tried ("" when nothing)."""
        return str(self.query_one("#token-problem", Static).content)

    @on(Input.Submitted, "#token")
    def _submitted(self, event: Input.Submitted) -> None:
        self.try_token(event.value.strip())

    @work(exclusive=True, group="token")
    async def try_token(self, token: str) -> None:
        problem_line = self.query_one("#token-problem", Static)
        if not token:
            problem_line.update("Paste the token first.")
            return
        problem_line.update("Checking the token with Beeper Desktop…")
        problem = await self.gate.token_problem(token)
        if problem:
            problem_line.update(Text(problem))
            return
        remember = self.query_one("#remember", Checkbox).value
        self.post_message(self.Accepted(token, remember))
