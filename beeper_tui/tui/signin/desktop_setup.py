"""``DesktopSetupScreen``: Beeper Desktop answers, but is not signed in or is still setting up
(``GET /v1/app/setup``). Says so in words, with what to do in Beeper Desktop, and checks again
by itself until it is ready."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from beeper_tui.tui.signin.countdown import RetryCountdown
from beeper_tui.tui.signin.setup_words import setup_words
from beeper_tui.tui.signin.signed_in import Next
from beeper_tui.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from beeper_tui.tui.signin.gate import DesktopGate

#: Seconds between checks: setting up moves on by itself.
CHECK_EVERY = 3


class DesktopSetupScreen(Screen[Next]):
    """Beeper Desktop is not ready; dismissed with the check that found it moved on."""

    HELP_TITLE = "Beeper Desktop is not ready"
    BINDINGS = [
        Binding("r", "retry", "Check now", tooltip="Ask Beeper Desktop again now"),
        Binding("d", "demo", "Try the demo", tooltip="Use the built-in simulator instead"),
        Binding("q", "app.quit", "Quit", tooltip="Quit beeper-tui"),
    ]

    DEFAULT_CSS = """
    DesktopSetupScreen {
        #setup-body { height: 1fr; padding: 1 2; }
        #setup-headline { text-style: bold; color: $warning; margin-bottom: 1; }
        #setup-todo, #setup-where { margin-bottom: 1; }
    }
    """

    def __init__(self, gate: DesktopGate, state: str) -> None:
        super().__init__()
        self.gate = gate
        self.state = state

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="setup-body"):
            yield Static("", id="setup-headline")
            yield Static("", id="setup-todo")
            yield Static(Text(f"Beeper Desktop at {self.gate.base_url}"), id="setup-where")
            yield RetryCountdown(id="countdown")
        yield Footer()

    def on_mount(self) -> None:
        self._show(self.state)
        self.query_one(RetryCountdown).start(CHECK_EVERY)

    @property
    def headline(self) -> str:
        """What the screen says now (tests read it)."""
        return setup_words(self.state).headline

    def _show(self, state: str) -> None:
        self.state = state
        words = setup_words(state)
        self.query_one("#setup-headline", Static).update(Text(words.headline))
        todo = Text(words.what_to_do)
        todo.append("\nbeeper-tui goes on by itself once Beeper Desktop is ready.")
        self.query_one("#setup-todo", Static).update(todo)

    @on(RetryCountdown.Due)
    def _due(self) -> None:
        self.check_again()

    def action_retry(self) -> None:
        self.check_again()

    def action_demo(self) -> None:
        self.dismiss("demo")

    @work(exclusive=True, group="check")
    async def check_again(self) -> None:
        countdown = self.query_one(RetryCountdown)
        countdown.trying()
        check = await self.gate.check()
        if check.verdict == "setup" and check.setup_state:
            self._show(check.setup_state)
            countdown.start(CHECK_EVERY)
            return
        self.dismiss(check)
