"""``NotReachableScreen``: Beeper Desktop did not answer. Says what to do, where beeper-tui
looked, and tries again by itself with a visible countdown; keys to retry now, enter another
address, try the demo, or quit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from beeper_tui.tui.signin.countdown import RetryCountdown
from beeper_tui.tui.signin.signed_in import Next
from beeper_tui.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from beeper_tui.tui.signin.gate import DesktopGate

#: Seconds between tries: the first few soon, then less often.
RETRY_DELAYS = (5, 5, 10, 15, 30)


def where_tried(base_url: str, ports: tuple[int, ...]) -> Text:
    """The address (and the other ports) beeper-tui asked."""
    text = Text("beeper-tui looked for Beeper Desktop's API at ")
    text.append(base_url, style="bold")
    others = sorted(set(ports))
    if len(others) > 1:
        text.append(f"\nand on 127.0.0.1, ports {others[0]}–{others[-1]}")
    text.append(".")
    return text


def what_to_do() -> Table:
    """The two things that make Beeper Desktop's API answer."""
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right")
    table.add_column()
    table.add_row("1.", "Start Beeper Desktop.")
    table.add_row(
        "2.",
        Text.assemble(
            "Turn on the ",
            ("Beeper Desktop API", "bold"),
            " in Beeper Desktop:\n",
            ("Settings → Developers", "bold"),
            " (older builds call it ",
            ("Integrations", "italic"),
            ").",
        ),
    )
    return table


class NotReachableScreen(Screen[Next]):
    """Beeper Desktop is not reachable; dismissed with the check that found it again."""

    HELP_TITLE = "Beeper Desktop not reachable"
    AUTO_FOCUS = ""  # keys first; an input is focused when its pane opens
    BINDINGS = [
        Binding("r", "retry", "Retry now", tooltip="Ask Beeper Desktop again now"),
        Binding("a", "address", "Enter address", tooltip="Use another address for the API"),
        Binding("d", "demo", "Try the demo", tooltip="Use the built-in simulator instead"),
        Binding("q", "app.quit", "Quit", tooltip="Quit beeper-tui"),
        Binding("escape", "close_address", "Cancel", show=False),
    ]

    DEFAULT_CSS = """
    NotReachableScreen {
        #unreachable-body { height: 1fr; padding: 1 2; }
        #unreachable-title { text-style: bold; color: $error; margin-bottom: 1; }
        #unreachable-where, #unreachable-problem { margin-bottom: 1; }
        #unreachable-problem { color: $text-muted; }
        #unreachable-todo-title { text-style: bold; }
        #unreachable-todo { margin: 0 0 1 1; }
        #address-box { display: none; height: auto; margin-top: 1; }
        #address-box.-open { display: block; }
        #address { max-width: 72; }
        #address-error { color: $error; height: auto; }
    }
    """

    def __init__(self, gate: DesktopGate, problem: str) -> None:
        super().__init__()
        self.gate = gate
        self.problem = problem
        self.tries = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="unreachable-body"):
            yield Static("Can't reach Beeper Desktop", id="unreachable-title")
            yield Static(self._where(), id="unreachable-where")
            yield Static(Text(self.problem), id="unreachable-problem")
            yield Static("To fix it:", id="unreachable-todo-title")
            yield Static(what_to_do(), id="unreachable-todo")
            yield RetryCountdown(id="countdown")
            with Vertical(id="address-box"):
                yield Static("Address of Beeper Desktop's API (Enter to try it, Esc to cancel):")
                yield Input(placeholder="http://127.0.0.1:23373", id="address")
                yield Static("", id="address-error")
        yield Footer()

    def on_mount(self) -> None:
        self._count_down()

    @property
    def countdown(self) -> RetryCountdown:
        return self.query_one(RetryCountdown)

    def _where(self) -> Text:
        return where_tried(self.gate.base_url, self.gate.tried_ports)

    def _count_down(self) -> None:
        self.countdown.start(RETRY_DELAYS[min(self.tries, len(RETRY_DELAYS) - 1)])

    @on(RetryCountdown.Due)
    def _due(self) -> None:
        self.try_again()

    def action_retry(self) -> None:
        self.try_again()

    @work(exclusive=True, group="check")
    async def try_again(self) -> None:
        """Ask again; leave when Beeper Desktop answers, else count down to the next try."""
        self.countdown.trying()
        self.tries += 1
        check = await self.gate.check(look_again=True)
        if check.verdict != "unreachable":
            self.dismiss(check)
            return
        self.problem = check.problem
        self.query_one("#unreachable-problem", Static).update(Text(check.problem))
        self.query_one("#unreachable-where", Static).update(self._where())
        self._count_down()

    def action_demo(self) -> None:
        self.dismiss("demo")

    # --- Another address ---------------------------------------------------------------------

    def action_address(self) -> None:
        box = self.query_one("#address-box")
        box.add_class("-open")
        field = self.query_one("#address", Input)
        if not field.value:
            field.value = self.gate.base_url
        field.focus()

    def action_close_address(self) -> None:
        self.query_one("#address-box").remove_class("-open")
        self.set_focus(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the address is typed, its letters are not keys."""
        typing = isinstance(self.focused, Input)
        if action in ("retry", "address", "demo", "quit"):
            return not typing
        if action == "close_address":
            return typing
        return True

    @on(Input.Submitted, "#address")
    def _address_given(self, event: Input.Submitted) -> None:
        error = self.gate.use_address(event.value.strip())
        self.query_one("#address-error", Static).update(Text(error or ""))
        if error is None:
            self.action_close_address()
            self.query_one("#unreachable-where", Static).update(self._where())
            self.tries = 0
            self.try_again()
