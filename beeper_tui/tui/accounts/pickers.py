"""Two small pickers of the accounts screen: what to do with an account (Enter), and which
bridge to add an account to (``a`` on the accounts view).

Each dismisses with the choice, or None on Esc.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from beeper_tui.api.adding import why_cant_add
from beeper_tui.api.models import Bridge
from beeper_tui.text import clean
from beeper_tui.tui.accounts.account_rows import AccountRow
from beeper_tui.tui.accounts.bridge_table import bridge_status_label

#: (action, what the menu says, key that does it on the list)
ACCOUNT_ACTIONS = (
    ("reconnect", "Reconnect", "r"),
    ("remove", "Remove…", "d"),
    ("copy_id", "Copy account ID", "c"),
    ("details", "Details", "i"),
)


class PickerDialog(ModalScreen[str | None]):
    """A titled option list; Enter picks (the option's ID), Esc closes with None."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
    ]

    DEFAULT_CSS = """
    PickerDialog {
        align: center middle;
        & > Vertical {
            width: 64;
            max-width: 90%;
            height: auto;
            padding: 1 2;
            border: thick $primary;
            background: $surface;
        }
        .picker-title { text-style: bold; margin-bottom: 1; }
        .picker-keys { color: $text-muted; margin-top: 1; }
        OptionList { height: auto; max-height: 18; }
    }
    """

    def __init__(self, title: Text, options: Sequence[Option]) -> None:
        super().__init__()
        self.title_text = title
        self.options = list(options)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="picker-title")
            yield OptionList(*self.options)
            yield Static("enter choose · esc close", classes="picker-keys")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = next(
            (i for i, option in enumerate(self.options) if not option.disabled), None
        )
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()


class AccountMenuDialog(PickerDialog):
    """Reconnect, remove, copy ID, details — for one account."""

    def __init__(self, row: AccountRow) -> None:
        title = Text(clean(row.title)[:120])
        options = [
            Option(Text.assemble(label, (f"  {key}", "dim")), id=action)
            for action, label, key in ACCOUNT_ACTIONS
        ]
        super().__init__(title, options)


class BridgePickerDialog(PickerDialog):
    """Which network to add an account to: bridges that can take one, then (greyed) the ones
    that can't, each with the reason."""

    def __init__(self, bridges: Sequence[Bridge]) -> None:
        ready = [b for b in bridges if why_cant_add(b) is None]
        closed = [b for b in bridges if why_cant_add(b) is not None]
        options = [Option(Text(clean(b.display_name)[:60], style="bold"), id=b.id) for b in ready]
        options += [
            Option(
                Text.assemble(
                    (clean(b.display_name)[:40], "bold"),
                    f"  {bridge_status_label(b.status)} — ",
                    clean(why_cant_add(b) or "")[:120],
                ),
                id=b.id,
                disabled=True,
            )
            for b in closed
        ]
        super().__init__(Text("Add an account — which network?"), options)
