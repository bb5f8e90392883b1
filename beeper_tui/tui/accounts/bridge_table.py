"""``BridgeTable``: every bridge, how its accounts are doing, whether it can take a new account
now, and why not.

A bridge whose own status is "connected" may still hold accounts that need attention: the
Accounts column says so ("✖ 2 of 3 need attention") beside the bridge's own status, which then
loses its ✔. Bridges are few (a few dozen at most), so a refresh rebuilds the table — but only
when something it shows changed (or the width did), and the cursor stays on its bridge.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from beeper_tui.api.adding import why_cant_add
from beeper_tui.api.models import Bridge, Health
from beeper_tui.text import fit
from beeper_tui.tui.accounts.account_rows import runs_where
from beeper_tui.tui.accounts.account_words import bridge_glyph, bridge_status_words


def bridge_status_label(status: str) -> str:
    """``+ available``, ``✖ limit reached``…: a glyph and words, never colour alone."""
    return f"{bridge_glyph(status)} {status.replace('_', ' ')}"


_HEALTH_WORDS = {
    Health.ATTENTION: ("needs attention", "need attention"),
    Health.UNKNOWN: ("is unknown", "are unknown"),
    Health.WORKING: ("is working", "are working"),
    Health.OK: ("connected", "connected"),
    Health.OFF: ("is off", "are off"),
}


def worst_health(bridge: Bridge) -> Health | None:
    """The health of the bridge's account that is worst off (None: no account)."""
    return min((a.health for a in bridge.accounts), key=lambda h: h.rank, default=None)


def accounts_health(bridge: Bridge) -> str:
    """How the bridge's accounts are doing, by the worst of them: ``✖ 2 of 3 need
    attention``, ``✖ needs attention`` (its only account), ``✔ all 3 connected``."""
    total = len(bridge.accounts)
    worst = worst_health(bridge)
    if worst is None:
        return "no accounts"
    count = sum(1 for a in bridge.accounts if a.health is worst)
    one, several = _HEALTH_WORDS[worst]
    if total == 1:
        return f"{worst.glyph} {one.removeprefix('is ')}"
    if count == total:
        return f"{worst.glyph} all {total} {several.removeprefix('are ')}"
    return f"{worst.glyph} {count} of {total} {one if count == 1 else several}"


def bridge_status(bridge: Bridge) -> str:
    """The bridge's own status in words; "connected" keeps its ✔ only while none of its
    accounts needs attention."""
    words = bridge_status_words(bridge.status)
    if bridge.status == "connected" and worst_health(bridge) is Health.ATTENTION:
        return words
    return f"{bridge_glyph(bridge.status)} {words}"


def takes(bridge: Bridge) -> str:
    """``several accounts`` or ``one account``."""
    return "several accounts" if bridge.supports_multiple_accounts else "one account"


#: (key, heading, width) of the columns always shown; Bridge grows from its width here.
_ALWAYS = (
    ("bridge", "Bridge", 12),
    ("accounts", "Accounts", 24),
    ("status", "Bridge status", 17),
    ("takes", "Takes", 16),
)
_RUNS = ("runs", "Runs", 11)
#: Cells a DataTable column adds beside its content (its cell padding, both sides).
_PADDING = 2
#: The narrowest "Says" worth drawing.
_SAYS_LEAST = 16
#: The width the columns are laid out for before the table knows its own.
FIRST_WIDTH = 80
#: Bridge names get up to this before Runs and Says, up to ``_NAME_MOST`` on a wide table.
_NAME_IDEAL, _NAME_MOST = 16, 24


def bridge_columns(width: int) -> list[tuple[str, str, int]]:
    """The columns for a table ``width`` cells wide: Bridge, Accounts, Bridge status and
    Takes always (names cut first); Runs when it fits; then Says — the server's own words —
    with what is left, names growing a little more on a wide table."""
    columns = list(_ALWAYS)
    left = width - sum(w + _PADDING for _, _, w in columns)

    def grow_names(up_to: int) -> None:
        nonlocal left
        more = max(min(up_to - columns[0][2], left), 0)
        columns[0] = ("bridge", "Bridge", columns[0][2] + more)
        left -= more

    grow_names(_NAME_IDEAL)
    if left >= _RUNS[2] + _PADDING:
        columns.append(_RUNS)
        left -= _RUNS[2] + _PADDING
    if left >= _SAYS_LEAST + _PADDING:
        if left > 80:
            grow_names(_NAME_MOST)
        columns.append(("says", "Says", left - _PADDING))
    return columns


class BridgeTable(DataTable[Text]):
    """The bridges view. Enter shows the selected bridge's accounts; ``a`` adds one."""

    HELP_TITLE = "Moving in the bridges"

    BINDINGS = [
        Binding("k", "cursor_up", "Previous bridge", show=False),
        Binding("j", "cursor_down", "Next bridge", show=False),
        Binding("home", "first", "First bridge", show=False),
        Binding("end", "last", "Last bridge", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._bridges: list[Bridge] = []
        self._shape: list[dict[str, str]] = []
        self._columns: list[tuple[str, str, int]] = []
        # Here rather than on mount, so the table takes its bridges before it is mounted (the
        # accounts screen builds it after its first frame); its first resize fits them to the
        # width it is given.
        self._set_columns(bridge_columns(FIRST_WIDTH))

    def on_resize(self) -> None:
        """A new width: the columns are worked out again and the rows redrawn to them."""
        columns = bridge_columns(self.scrollable_content_region.width)
        if columns != self._columns:
            self._rebuild(self._bridges, columns)

    @property
    def bridges(self) -> list[Bridge]:
        return self._bridges

    @property
    def column_keys(self) -> list[str]:
        """The columns shown now, in order (``says`` and ``runs`` only where they fit)."""
        return [key for key, _, _ in self._columns]

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
        if [self._cells(b) for b in ordered] == self._shape:
            self._bridges = ordered
            return
        self._rebuild(ordered, self._columns)

    def _set_columns(self, columns: list[tuple[str, str, int]]) -> None:
        """Text labels: a str label would be parsed as markup, which loads rich's emoji table
        for nothing."""
        self._columns = columns
        for key, title, cell_width in columns:
            self.add_column(Text(title), width=cell_width, key=key)

    def _rebuild(self, ordered: list[Bridge], columns: list[tuple[str, str, int]]) -> None:
        keep = self.current_bridge.id if self.current_bridge else None
        if columns != self._columns:
            self.clear(columns=True)
            self._set_columns(columns)
        else:
            self.clear()
        self._bridges = ordered
        self._shape = [self._cells(b) for b in ordered]
        widths = {key: width for key, _, width in self._columns}
        keys: set[str] = set()
        for bridge, cells in zip(ordered, self._shape, strict=True):
            # a server may list two bridges with one ID: the second gets a key of its own
            key = bridge.id if bridge.id not in keys else None
            keys.add(bridge.id)
            row = [self._cell(name, cells[name], widths[name]) for name in widths]
            self.add_row(*row, key=key)
        index = next((i for i, b in enumerate(ordered) if b.id == keep), 0)
        if ordered:
            self.move_cursor(row=index, animate=False)

    @staticmethod
    def _cell(key: str, value: str, width: int) -> Text:
        """One cell, cut to its column (prose at a word end); attention in bold."""
        text = Text(fit(value, width, words=key == "says").rstrip())
        if key == "accounts" and value.startswith(Health.ATTENTION.glyph):
            text.stylize("bold")
        return text

    @staticmethod
    def _cells(bridge: Bridge) -> dict[str, str]:
        """What each column (by key) shows for ``bridge``."""
        return {
            "bridge": bridge.display_name,
            "accounts": accounts_health(bridge),
            "status": bridge_status(bridge),
            "takes": takes(bridge),
            "runs": runs_where(bridge.provider),
            "says": bridge.status_text or "",
        }

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=self.row_count - 1)
