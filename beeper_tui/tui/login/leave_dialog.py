"""``LeaveLoginDialog``: "Stop connecting WhatsApp?" — asked when the person leaves a login
half-way, since leaving cancels its session on the server.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from beeper_tui.text import clean_lines
from beeper_tui.tui.widgets.dialog import Dialog


class LeaveLoginDialog(ModalScreen[bool]):
    """ "Stop connecting WhatsApp?" — True leaves (the session is cancelled), False stays."""

    BINDINGS = [
        Binding("y", "answer(True)", "Stop and leave"),
        Binding("n,escape", "answer(False)", "Keep going"),
    ]

    DEFAULT_CSS = """
    LeaveLoginDialog {
        align: center middle;
        #leave-dialog {
            width: 60;
            max-width: 90%;
            border: thick $warning;
        }
        #leave-question { text-style: bold; margin-bottom: 1; }
        #leave-buttons { height: auto; margin-top: 1; }
        Button { margin-right: 2; }
    }
    """

    def __init__(self, bridge_name: str) -> None:
        super().__init__()
        self.bridge_name = bridge_name

    def compose(self) -> ComposeResult:
        with Dialog(id="leave-dialog"):
            yield Static(
                Text(f"Stop connecting {clean_lines(self.bridge_name)}?"), id="leave-question"
            )
            yield Static("The login session is cancelled; you can start again later.")
            with Horizontal(id="leave-buttons"):
                yield Button("Stop and leave (y)", id="leave-yes", variant="error")
                yield Button("Keep going (n)", id="leave-no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#leave-no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "leave-yes")

    def action_answer(self, leave: bool) -> None:
        self.dismiss(leave)
