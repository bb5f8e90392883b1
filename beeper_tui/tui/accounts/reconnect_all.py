"""Reconnect every account that needs attention, one login wizard after another.

Before each account a small dialog says who is next ("Next: WhatsApp — Alice (2 of 3)") and
offers Enter reconnect · s skip · Esc stop; at the end a summary lists what was fixed,
skipped and failed. :func:`reconnect_each` drives it and must run in a worker (it waits on
screens).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from beeper_tui.text import shown
from beeper_tui.tui.accounts.account_rows import AccountRow
from beeper_tui.tui.widgets.dialog import Dialog

Choice = Literal["reconnect", "skip", "stop"]


@dataclass
class BatchResult:
    """What a reconnect-all run did to each account it was given."""

    fixed: list[AccountRow] = field(default_factory=list)
    skipped: list[AccountRow] = field(default_factory=list)
    failed: list[tuple[AccountRow, str]] = field(default_factory=list)
    not_reached: list[AccountRow] = field(default_factory=list)


class NextReconnectDialog(ModalScreen[Choice]):
    """ "Next: WhatsApp — Alice (2 of 3) · Enter reconnect · s skip · Esc stop"."""

    BINDINGS = [
        Binding("enter", "choose('reconnect')", "Reconnect", key_display="⏎"),
        Binding("s", "choose('skip')", "Skip"),
        Binding("escape", "choose('stop')", "Stop"),
    ]

    DEFAULT_CSS = """
    NextReconnectDialog {
        align: center middle;
        #next-dialog { border: thick $warning; }
        #next-title { text-style: bold; }
        #next-keys { color: $text-muted; margin-top: 1; }
    }
    """

    def __init__(self, row: AccountRow, position: int, total: int) -> None:
        super().__init__()
        self.row = row
        self.position = position
        self.total = total

    def compose(self) -> ComposeResult:
        with Dialog(id="next-dialog"):
            title = Text("Next: ")
            title.append(shown(self.row.title))
            title.append(f" ({self.position} of {self.total})")
            yield Static(title, id="next-title")
            yield Static(Text(shown(self.row.status_text or self.row.status)))
            yield Static("enter reconnect · s skip · esc stop", id="next-keys")

    def action_choose(self, choice: Choice) -> None:
        self.dismiss(choice)


def _section(text: Text, heading: str, lines: Sequence[tuple[AccountRow, str]]) -> None:
    text.append(f"\n{heading} ({len(lines)})", style="bold")
    for row, note in lines:
        text.append("\n  • ")
        text.append(shown(row.title))
        if note:
            text.append(f" — {shown(note)}", style="dim")


def summary_text(result: BatchResult) -> Text:
    """Fixed, skipped, failed (with why), and any not reached after a stop."""
    text = Text(
        f"Fixed {len(result.fixed)} · skipped {len(result.skipped)} · failed {len(result.failed)}",
        style="bold",
    )
    _section(text, "✔ Fixed", [(row, "") for row in result.fixed])
    _section(text, "↷ Skipped", [(row, "") for row in result.skipped])
    _section(text, "✖ Failed", result.failed)
    if result.not_reached:
        _section(text, "– Not reached (stopped)", [(row, "") for row in result.not_reached])
    return text


class ReconnectAllSummaryDialog(ModalScreen[None]):
    """The end of a reconnect-all run."""

    BINDINGS = [Binding("escape,enter", "close", "Close")]

    DEFAULT_CSS = """
    ReconnectAllSummaryDialog {
        align: center middle;
        #summary-dialog {
            width: 76;
            max-height: 90%;
        }
        #summary-title { text-style: bold; margin-bottom: 1; }
        #summary-body { height: auto; max-height: 24; }
        #summary-keys { color: $text-muted; margin-top: 1; }
    }
    """

    def __init__(self, result: BatchResult) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        with Dialog(id="summary-dialog"):
            yield Static("Reconnect all — done", id="summary-title")
            with VerticalScroll(id="summary-body"):
                yield Static(summary_text(self.result), id="summary-text")
            yield Static("enter or esc close", id="summary-keys")

    def action_close(self) -> None:
        self.dismiss(None)


async def reconnect_each(
    app: App[Any],
    rows: Sequence[AccountRow],
    wizard_for: Callable[[AccountRow], Screen[Any]],
    on_outcome: Callable[[AccountRow, Any], None],
) -> BatchResult:
    """Ask, then run a wizard, for each row in turn; returns what happened to each.

    ``wizard_for(row)`` builds the row's login wizard (a ``Screen[LoginOutcome]``);
    ``on_outcome(row, outcome)`` runs after each wizard. Call from a worker.
    """
    result = BatchResult()
    for position, row in enumerate(rows, 1):
        choice = await app.push_screen_wait(NextReconnectDialog(row, position, len(rows)))
        if choice == "stop":
            result.not_reached = list(rows[position - 1 :])
            break
        if choice == "skip":
            result.skipped.append(row)
            continue
        outcome = await app.push_screen_wait(wizard_for(row))
        if outcome is not None:
            on_outcome(row, outcome)
        status = getattr(outcome, "status", "cancelled")
        if getattr(outcome, "different_account", False):  # someone else added: still broken
            result.failed.append((row, "signed in as a different account, which was added"))
        elif status == "complete":
            result.fixed.append(row)
        elif status == "failed":
            error = getattr(outcome, "error", None)
            result.failed.append((row, getattr(error, "message", "") or "the login failed"))
        else:
            result.skipped.append(row)
    return result
