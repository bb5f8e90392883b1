"""``ShownAccounts``: which accounts the list shows — all of them, those the filter box (``/``)
matches, or one bridge's (Enter on a bridge) — and what the header and the empty list say
about them.

The header's verdict names what narrows the list ("showing 3 of 17 · filter: wa"); Esc shows
every account again. While there are no accounts at all, an invitation to add one (naming
the networks that can take one now) stands where the list would be.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.text import Text
from textual.widgets import Static

from beeper_tui.api.adding import why_cant_add
from beeper_tui.text import clean
from beeper_tui.tui.accounts.account_table import AccountTable
from beeper_tui.tui.accounts.feed import TargetFeeds
from beeper_tui.tui.accounts.filter_box import FilterBox
from beeper_tui.tui.accounts.status_header import StatusHeader


@dataclass(eq=False)
class ShownAccounts:
    """Narrows the accounts list, and keeps the header and the empty list saying so."""

    feed: TargetFeeds
    table: AccountTable
    make_box: Callable[[], FilterBox]
    """The filter box, made (and mounted above the list) the first time ``/`` is pressed:
    until then it is not built at all (an ``Input``'s styles and mount were ~1% of launch)."""
    header: StatusHeader
    empty: Static
    """Where the list would be: the invitation to add an account, while there are none."""
    list_shown: Callable[[], None]
    """Runs when the list may have come or gone (the detail pane sits beside a list only)."""

    _box: FilterBox | None = field(default=None, init=False)

    def open_filter(self) -> None:
        """``/``: the filter box opens, to be typed into."""
        if self._box is None:
            self._box = self.make_box()
        self._box.add_class("-open")
        # Focused now, not after the keys already waiting (``focus()`` queues behind them): a
        # burst of keys typed after ``/`` (fast, pasted, over SSH) all goes into the box.
        self._box.screen.set_focus(self._box)

    def _close_box(self) -> None:
        if self._box is not None:
            self._box.value = ""
            self._box.remove_class("-open")

    def filter(self, query: str) -> None:
        """Only the accounts that match ``query`` (as it is being typed)."""
        self.table.set_filter(query)
        self.summarize()

    def show_all(self) -> bool:
        """Esc: every account again, the box closed; False when nothing narrowed the list."""
        table, box_open = self.table, self._box is not None and self._box.has_class("-open")
        if not box_open and not table.filter_query and not table.bridge_filter:
            return False
        self._close_box()
        table.set_filter("")
        table.set_bridge(None)
        self.summarize()
        return True

    def only_bridge(self, bridge_key: str, name: str) -> None:
        """Only the accounts of one bridge (named ``name``), the filter box emptied."""
        self._close_box()
        self.table.set_filter("")
        self.table.set_bridge(bridge_key, name)
        self.summarize()

    def summarize(self) -> None:
        """The header's verdict on the accounts shown; the list, or the empty list's
        invitation when there are none."""
        table = self.table
        bridge = table.bridge_filter
        self.header.summarize(
            table.all_rows,
            len(table.shown_rows),
            table.filter_query,
            bridge[1] if bridge is not None else None,
        )
        has_rows = bool(table.all_rows)
        table.display = has_rows
        self.empty.display = not has_rows
        self.list_shown()
        if not has_rows and self.feed.loaded:
            ready = [b.display_name for b in self.feed.bridges if why_cant_add(b) is None]
            text = Text("No accounts yet.\n\n", style="bold")
            text.append("Press a to add one")
            if ready:
                text.append(" — " + clean(", ".join(ready[:8])) + " can take one now")
            text.append(".")
            self.empty.update(text)
