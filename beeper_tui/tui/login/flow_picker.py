"""``FlowPickerDialog``: pick how to sign in, when a bridge offers several login flows
(WhatsApp: QR code or phone number).

The flow highlighted when it opens is ``FlowChoice.preselected`` (``loginkit/flow_choice.py``):
the flow the account last used, else the bridge's last successful one, else the server's
default (the one it uses when no flowID is given: the first it lists) — the same every time.
The server's default is marked "(default)", a remembered one "(last used)", and a flow that
can only be finished in Beeper Desktop (a passkey) says so and is never highlighted, though it
can still be chosen. Enter picks, Esc goes back — or, under ``beeper-tui login``, where there
is nothing to go back to, leaves. The wizard asks through ``pick_flow``.
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
from beeper_tui.loginkit.flow_choice import FlowChoice, choose_flow
from beeper_tui.text import clean_lines
from beeper_tui.tui.app import BeeperApp
from beeper_tui.tui.login.target import LoginTarget
from beeper_tui.tui.widgets.dialog import Dialog


class PickerExit(Enum):
    """Ways to leave the picker without a flow."""

    BACK = "back"
    QUIT = "quit"


DESKTOP_ONLY_NOTE = "finish in Beeper Desktop"


def flow_label(
    flow: LoginFlow,
    *,
    default: bool = False,
    last_used: bool = False,
    desktop_only: bool = False,
) -> Text:
    """A flow's name (bold), what the picker knows of it ("(default)", "(last used)", "finish
    in Beeper Desktop") and, below it, its description — as plain text."""
    text = Text(clean_lines(flow.name or flow.id), style="bold")
    tags = [tag for tag, shown in (("default", default), ("last used", last_used)) if shown]
    if tags:
        text.append(f"  ({' · '.join(tags)})", style="dim")
    if desktop_only:
        text.append(f"  · {DESKTOP_ONLY_NOTE}", style="italic")
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

    def __init__(
        self,
        bridge_name: str,
        flows: list[LoginFlow],
        *,
        has_back: bool = True,
        choice: FlowChoice | None = None,
    ) -> None:
        super().__init__()
        self.bridge_name = bridge_name
        self.flows = flows
        self.has_back = has_back
        """Esc goes back to a screen (else it ends ``beeper-tui login``, and says "leave")."""
        self.choice = choice or choose_flow(flows)
        """What is highlighted and marked (without memory: the server's default)."""

    def compose(self) -> ComposeResult:
        with Dialog(id="flow-dialog"):
            yield Static(
                Text(f"How do you want to sign in to {clean_lines(self.bridge_name)}?"),
                id="flow-title",
            )
            choice = self.choice
            yield OptionList(
                *(
                    Option(
                        flow_label(
                            flow,
                            default=flow.id == choice.server_default
                            and flow.id not in choice.desktop_only,
                            last_used=flow.id == choice.remembered,
                            desktop_only=flow.id in choice.desktop_only,
                        ),
                        id=flow.id,
                    )
                    for flow in self.flows
                ),
                id="flow-list",
            )
            esc = "back" if self.has_back else "leave"
            yield Static(f"enter choose · esc {esc} · q quit", id="flow-keys")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [flow.id for flow in self.flows]
        preselected = self.choice.preselected
        options.highlighted = ids.index(preselected) if preselected in ids else None
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


async def pick_flow(app: BeeperApp, login: LoginTarget, *, has_back: bool) -> str | PickerExit:
    """Ask which of the bridge's flows to sign in with, the one the flow memory suggests
    preselected; from a worker, which waits for the answer (a flow's ID, or how the person
    left the picker)."""
    choice = login.flow_choice(app.flow_memory)
    picker = FlowPickerDialog(login.bridge_name, login.flows, has_back=has_back, choice=choice)
    return await app.push_screen_wait(picker)
