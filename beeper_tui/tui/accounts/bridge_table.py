"""``BridgeTable``: every bridge, whether it can take a new account now, and why not.

Bridges are few (a few dozen at most), so a refresh rebuilds the table — but only when
something it shows changed, and the cursor stays on its bridge.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from beeper_tui.api.adding import why_cant_add
from beeper_tui.api.models import Bridge
from beeper_tui.text import fit
from beeper_tui.tui.accounts.account_rows import runs_where

_BRIDGE_GLYPHS = {
    "available": "+",
    "connected": "✔",
    "limit_reached": "✖",
    "temporarily_unavailable": "…",
    "disabled": "–",
}


def bridge_status_label(status: str) -> str:
    """``+ available``, ``✖ limit reached``…: a glyph and words, never colour alone."""
    return f"{_BRIDGE_GLYPHS.get(status, '?')} {status.replace('_', ' ')}"


class BridgeTable(DataTable[Text]):
    """The bridges view. Enter (or ``a``) adds an account to the selected bridge."""

    HELP_TITLE = "Moving in the bridges"

    BINDINGS = [
        Binding("k", "cursor_up", "Previous bridge", show=False),
        Binding("j", "cursor_down", "Next bridge", show=False),
        Binding("home", "first", "First bridge", show=False),
        Binding("end", "last", "Last bridge", show=False),
    ]

    COLUMNS = (
        ("Bridge", 20),
        ("Status", 25),
        ("Accounts", 8),
        ("Several", 7),
        ("Runs", 11),
        ("Says", 34),
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._bridges: list[Bridge] = []
        self._shape: list[tuple[object, ...]] = []
        # Here rather than on mount, so the table takes its bridges before it is mounted (the
        # accounts screen builds it after its first frame). Text labels: a str label would be
        # parsed as markup, which loads rich's emoji table for nothing.
        for title, width in self.COLUMNS:
            self.add_column(Text(title), width=width, key=title.lower())

    @property
    def bridges(self) -> list[Bridge]:
        return self._bridges

    @property
    def current_bridge(self) -> Bridge | None:
        return self.bridge_at(self.cursor_row)

    def bridge_at(self, row: int) -> Bridge | None:
        """The bridge on line ``row`` of the table (rows are keyed by bridge ID, but two
        bridges may share one)."""
        return self._bridges[row] if 0 <= row < len(self._bridges) else None

    def show_bridges(self, bridges: Sequence[Bridge]) -> None:
        """New data: rebuild only if a visible value changed; the cursor keeps its bridge."""
        ordered = sorted(bridges, key=lambda b: (bool(why_cant_add(b)), b.display_name.casefold()))
        shape = [self._cells(b) for b in ordered]
        if shape == self._shape:
            self._bridges = ordered
            return
        keep = self.current_bridge.id if self.current_bridge else None
        self._bridges, self._shape = ordered, shape
        self.clear()
        keys: set[str] = set()
        for bridge, cells in zip(ordered, shape, strict=True):
            # a server may list two bridges with one ID: the second gets a key of its own
            key = bridge.id if bridge.id not in keys else None
            keys.add(bridge.id)
            self.add_row(*(Text(str(c)) for c in cells), key=key)
        index = next((i for i, b in enumerate(ordered) if b.id == keep), 0)
        if ordered:
            self.move_cursor(row=index, animate=False)

    @staticmethod
    def _cells(bridge: Bridge) -> tuple[object, ...]:
        return (
            fit(bridge.display_name, 20).rstrip(),
            bridge_status_label(bridge.status),
            bridge.active_account_count,
            "yes" if bridge.supports_multiple_accounts else "one",
            runs_where(bridge.provider),
            fit(bridge.status_text or "", 34).rstrip(),
        )

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=self.row_count - 1)
