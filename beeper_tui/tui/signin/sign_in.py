"""``SignInScreen``: beeper-tui has no token, or Beeper Desktop refused it. Three ways on:
authorize in Beeper Desktop (Enter, the default), paste a token, or try the demo.

It opens as the first screen, and again over whatever is shown when a token stops working
(then "not now" replaces the demo and quit). It dismisses with a :class:`SignedIn`, "demo",
or None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ContentSwitcher, Input, Static

from beeper_tui.tui.signin.authorize_pane import AuthorizePane
from beeper_tui.tui.signin.signed_in import Next, SignedIn
from beeper_tui.tui.signin.token_pane import TokenPane
from beeper_tui.tui.widgets.dialog import Dialog
from beeper_tui.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from beeper_tui.tui.signin.gate import DesktopGate


def ways_table(first_screen: bool) -> Table:
    """The ways on, each with its key (the demo only on the first screen)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", justify="right")
    table.add_column()
    ways = [
        ("Enter", "Authorize in Beeper Desktop", "Approve beeper-tui there; nothing to copy."),
        ("p", "Paste an access token", "Made in Beeper Desktop: Settings → Developers."),
    ]
    if first_screen:
        ways.append(("d", "Try the demo", "A built-in simulator; no Beeper Desktop needed."))
    for key, title, detail in ways:
        table.add_row(key, Text.assemble((title, "bold"), "\n", detail))
    return table


class SignInScreen(ModalScreen[Next]):
    """How beeper-tui gets a token; see the module docstring."""

    HELP_TITLE = "Sign in"
    AUTO_FOCUS = ""  # keys first; an input is focused when its pane opens
    BINDINGS = [
        Binding("enter", "authorize", "Authorize in Beeper Desktop"),
        Binding("p", "paste_token", "Paste a token"),
        Binding("d", "demo", "Try the demo"),
        Binding("c", "copy_address", "Copy address"),
        Binding("escape", "cancel", "Cancel"),
        Binding("escape", "back", "Back"),
        Binding("escape", "not_now", "Not now"),
        Binding("q", "app.quit", "Quit"),
    ]

    DEFAULT_CSS = """
    SignInScreen {
        align: center middle;
        Dialog { width: 76; max-height: 100%; }
        #sign-in-title { text-style: bold; }
        #sign-in-reason { margin: 1 0; }
        #sign-in-problem { color: $error; margin-top: 1; height: auto; }
        #sign-in-problem.-empty { display: none; }
        ContentSwitcher, #ways { height: auto; }
        #sign-in-ways Static { margin-bottom: 1; }
        Footer { dock: bottom; }
    }
    """

    def __init__(self, gate: DesktopGate, reason: str, *, first_screen: bool) -> None:
        super().__init__()
        self.gate = gate
        self.reason = reason
        self.first_screen = first_screen

    def compose(self) -> ComposeResult:
        with Dialog():
            with ContentSwitcher(initial="ways"):
                with Vertical(id="ways"):
                    yield Static("Sign in to Beeper Desktop", id="sign-in-title")
                    yield Static(Text(self.reason), id="sign-in-reason")
                    yield Static(ways_table(self.first_screen), id="sign-in-ways")
                yield AuthorizePane(self.gate, id="authorize")
                yield TokenPane(self.gate, id="paste")
            yield Static("", id="sign-in-problem", classes="-empty")
        yield Footer()

    @property
    def pane(self) -> str:
        """The pane shown: "ways", "authorize" or "paste"."""
        return self.query_one(ContentSwitcher).current or "ways"

    @property
    def problem(self) -> str:
        """Why the last way tried did not sign in ("" when nothing went wrong)."""
        return str(self.query_one("#sign-in-problem", Static).content)

    def _show_pane(self, pane: str) -> None:
        self.query_one(ContentSwitcher).current = pane
        if pane != "paste":
            self.set_focus(None)
        self.refresh_bindings()

    def _say(self, problem: str) -> None:
        line = self.query_one("#sign-in-problem", Static)
        line.update(Text(problem))
        line.set_class(not problem, "-empty")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each pane's own keys; the demo and quit only on the first screen."""
        pane = self.pane
        if action in ("authorize", "paste_token"):
            return pane == "ways"
        if action == "demo":
            return pane == "ways" and self.first_screen
        if action == "not_now":
            return pane == "ways" and not self.first_screen
        if action == "copy_address":
            return pane == "authorize" and not isinstance(self.focused, Input)
        waiting = pane == "authorize" and self.query_one(AuthorizePane).waiting
        if action == "cancel":
            return waiting
        if action == "back":
            return pane != "ways" and not waiting
        return True

    # --- The three ways ------------------------------------------------------------------------

    def action_authorize(self) -> None:
        self._say("")
        self._show_pane("authorize")
        self.query_one(AuthorizePane).start()

    def action_paste_token(self) -> None:
        self._say("")
        self._show_pane("paste")
        self.query_one(TokenPane).begin()

    def action_demo(self) -> None:
        self.dismiss("demo")

    def action_not_now(self) -> None:
        self.dismiss(None)

    def action_copy_address(self) -> None:
        self.query_one(AuthorizePane).copy_address()

    async def action_cancel(self) -> None:
        """Esc while waiting: stop the sign-in under way (the ways come back, saying so)."""
        await self.query_one(AuthorizePane).cancel()

    def action_back(self) -> None:
        self._show_pane("ways")

    def on_paste(self, event: events.Paste) -> None:
        """A paste while waiting for the approval is the address the browser ended on."""
        if self.pane == "authorize" and not isinstance(self.focused, Input):
            pane = self.query_one(AuthorizePane)
            pane.query_one("#pasted-address", Input).value = event.text.strip()
            pane.complete_from(event.text)

    @on(AuthorizePane.Finished)
    def _authorized(self, event: AuthorizePane.Finished) -> None:
        issued = event.issued
        if issued is None:
            self._show_pane("ways")
            self._say(event.problem)
            return
        self.dismiss(
            SignedIn(
                issued.access_token,
                kind="oauth",
                expires_at=issued.expires_at,
                client_id=issued.client_id,
            )
        )

    @on(TokenPane.Accepted)
    def _token_accepted(self, event: TokenPane.Accepted) -> None:
        self.dismiss(SignedIn(event.token, remember=event.remember))
