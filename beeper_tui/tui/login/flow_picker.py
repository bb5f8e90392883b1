"""``FlowPickerDialog``: pick how to sign in, when a bridge offers several login flows
(WhatsApp: QR code or phone number).

The server's default flow (the one it uses when no flowID is given: the first it lists) is
marked and highlighted, the same every time; Enter picks, Esc goes back — or, under
``beeper-tui login``, where there is nothing to go back to, leaves.
"""

from __future__ import annotations

from enum import Enum

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from beeper_tui.api.models import LoginFlow
from beeper_tui.text import clean_lines
from beeper_tui.tui.widgets.dialog import Dialog


class PickerExit(Enum):
    """Ways to leave the picker without a flow."""

    BACK = "back"
    QUIT = "quit"


def flow_label(flow: LoginFlow, *, default: bool = False) -> Text:
    """A flow's name (bold) and, below it, its description — as plain text."""
    text = Text(clean_lines(flow.name or flow.id), style="bold")
    if default:
        text.append("  (default)", style="dim")
    if flow.description:
        text.append("\n")
        text.append(clean_lines(flow.description), style="dim")
    return text


class FlowPickerDialog(ModalScreen[str | PickerExit]):
    """A list of the bridge's login flows; dismisses with the chosen flow's ID."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "app.help", "Keys"),
    ]

    DEFAULT_CSS = """
    FlowPickerDialog {
        align: center middle;
        #flow-dialog {
            width: 70;
            max-width: 90%;
        }
        #flow-title { text-style: bold; margin-bottom: 1; }
        #flow-keys { color: $text-muted; margin-top: 1; }
        OptionList { height: auto; max-height: 16; }
    }
    """

    def __init__(self, bridge_name: str, flows: list[LoginFlow], *, has_back: bool = True) -> None:
        super().__init__()
        self.bridge_name = bridge_name
        self.flows = flows
        self.has_back = has_back
        """Esc goes back to a screen (else it ends ``beeper-tui login``, and says "leave")."""

    def compose(self) -> ComposeResult:
        with Dialog(id="flow-dialog"):
            yield Static(
                Text(f"How do you want to sign in to {clean_lines(self.bridge_name)}?"),
                id="flow-title",
            )
            yield OptionList(
                *(
                    Option(flow_label(flow, default=index == 0), id=flow.id)
                    for index, flow in enumerate(self.flows)
                ),
                id="flow-list",
            )
            esc = "back" if self.has_back else "leave"
            yield Static(f"enter choose · esc {esc} · q quit", id="flow-keys")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(event.option.id)

    def action_back(self) -> None:
        self.dismiss(PickerExit.BACK)

    def action_quit(self) -> None:
        self.dismiss(PickerExit.QUIT)
