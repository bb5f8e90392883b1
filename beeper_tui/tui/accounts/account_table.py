"""``AccountTable``: the accounts list — a header line, one line per account, a row cursor.

A Line API widget: it draws only the lines on screen, so a list of 2 000 accounts costs what 40
do. A refresh swaps in new rows and repaints the visible lines; a filter keystroke narrows an
index; neither rebuilds cells. The cursor follows its account (by accountID, and target with several
Beeper Desktops: :attr:`AccountRow.key`) across refreshes; with several, a Target column
shows where each account is, and one target's rows can be drawn stale on their own.

The columns are a list of specs (:mod:`.account_columns`): their widths are worked out again for
each width the list is drawn at, so a resized terminal redraws with Status given the room.

Server text is data: every cell goes through :func:`beeper_tui.text.fit` (control characters made
visible) and is cut to its column (prose at a word end), never parsed as markup.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from beeper_tui.api.models import Health
from beeper_tui.text import clean, fit
from beeper_tui.tui.accounts.account_columns import (
    COLUMNS,
    GAP,
    TARGET,
    Column,
    shown_columns,
    with_target,
)
from beeper_tui.tui.accounts.account_rows import AccountRow, filter_terms

#: How long a changed row keeps its mark.
MARK_SECONDS = 60.0
#: Drawn lines kept for reuse (a few screens' worth, across filter keystrokes).
_LINE_CACHE = 1024

_HEALTH_CLASS = {
    Health.ATTENTION: "account-table--attention",
    Health.UNKNOWN: "account-table--unknown",
    Health.WORKING: "account-table--working",
    Health.OK: "account-table--ok",
    Health.OFF: "account-table--off",
}
_MARK = "●"


class AccountTable(ScrollView, can_focus=True, inherit_bindings=False):
    """Every account, attention first. Enter opens the selected account's actions."""

    HELP_TITLE = "Moving in the list"

    BINDINGS = [
        Binding("up,k", "cursor_up", "Previous account", show=False),
        Binding("down,j", "cursor_down", "Next account", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First account", show=False),
        Binding("end", "last", "Last account", show=False),
        Binding(
            "enter", "choose", "Actions", key_display="⏎", tooltip="What to do with this account"
        ),
    ]

    COMPONENT_CLASSES = {
        "account-table--header",
        "account-table--cursor",
        "account-table--attention",
        "account-table--unknown",
        "account-table--working",
        "account-table--ok",
        "account-table--off",
        "account-table--mark",
        "account-table--stale",
        "account-table--note",
    }

    DEFAULT_CSS = """
    AccountTable {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
        & > .account-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .account-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .account-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .account-table--attention { color: $text-error; text-style: bold; }
        & > .account-table--unknown { color: $text-warning; }
        & > .account-table--working { color: $text-accent; }
        & > .account-table--ok { color: $text-success; }
        & > .account-table--off { color: $text-muted; }
        & > .account-table--mark { color: $text-warning; text-style: bold; }
        & > .account-table--stale { color: $text-muted; }
        & > .account-table--note { color: $text-muted; text-style: italic; }
    }
    """

    class CursorMoved(Message):
        """The account under the cursor changed (another account, or new data for it)."""

        def __init__(self, row: AccountRow | None) -> None:
            super().__init__()
            self.row = row

    class Chosen(Message):
        """Enter (or a double click) on an account."""

        def __init__(self, row: AccountRow) -> None:
            super().__init__()
            self.row = row

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        columns: Sequence[Column] = COLUMNS,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.clock = clock
        self.columns = tuple(columns)
        """The columns, in order (a spec each; see :mod:`.account_columns`)."""
        self._widths: tuple[int, list[tuple[Column, int]]] = (-1, [])
        self._all: list[AccountRow] = []
        self._shown: list[AccountRow] = []
        self._position: dict[str, int] = {}
        self._cursor = 0
        self._query = ""
        self._bridge: tuple[str, str] | None = None
        self._marks: dict[str, tuple[float, str]] = {}
        self._stale = False
        self._stale_targets: frozenset[str | None] = frozenset()
        self._reported: AccountRow | None = None
        self._styles: dict[tuple[str, ...], Style] = {}
        self._lines: dict[tuple[object, ...], Strip] = {}

    # --- What the list holds ---------------------------------------------------------------

    @property
    def all_rows(self) -> list[AccountRow]:
        """Every account, sorted, whatever the filter."""
        return self._all

    @property
    def shown_rows(self) -> list[AccountRow]:
        """The accounts the filter lets through, in order."""
        return self._shown

    @property
    def current_row(self) -> AccountRow | None:
        """The account under the cursor, if any."""
        if 0 <= self._cursor < len(self._shown):
            return self._shown[self._cursor]
        return None

    @property
    def cursor(self) -> int:
        return self._cursor

    @property
    def filter_query(self) -> str:
        """The filter as typed ("" when none)."""
        return self._query

    @property
    def show_target(self) -> bool:
        """With several Beeper Desktops: a Target column (after Health)."""
        return any(column.key == TARGET.key for column in self.columns)

    @show_target.setter
    def show_target(self, show: bool) -> None:
        if show == self.show_target:
            return
        if show:
            self.columns = with_target(self.columns)
        else:
            self.columns = tuple(c for c in self.columns if c.key != TARGET.key)
        self._widths = (-1, [])
        self._forget_drawing()

    @property
    def bridge_filter(self) -> tuple[str, str] | None:
        """The bridge (its :attr:`AccountRow.bridge_key`, its name) the list is narrowed to, if
        any (Enter in the bridges view)."""
        return self._bridge

    def row_for(self, key: str) -> AccountRow | None:
        """The (possibly filtered-out) row of an account (its :attr:`AccountRow.key`)."""
        return next((row for row in self._all if row.key == key), None)

    def show_rows(self, rows: Sequence[AccountRow]) -> None:
        """New data (already sorted); the cursor stays on its account when it is still there."""
        keep = self.current_row.key if self.current_row else None
        self._all = list(rows)
        self._lines.clear()
        self._apply_filter(keep)

    def set_filter(self, query: str) -> None:
        """Show only accounts whose visible text contains every word of ``query``."""
        if query == self._query:
            return
        keep = self.current_row.key if self.current_row else None
        narrower = bool(self._query) and query.startswith(self._query)
        self._query = query
        self._apply_filter(keep, narrower)

    def set_bridge(self, bridge_key: str | None, name: str = "") -> None:
        """Show only the accounts of one bridge (by :attr:`AccountRow.bridge_key`; ``None``:
        of every bridge); the text filter still applies on top."""
        wanted = (bridge_key, name) if bridge_key is not None else None
        if wanted == self._bridge:
            return
        keep = self.current_row.key if self.current_row else None
        self._bridge = wanted
        self._apply_filter(keep)

    def set_stale(self, stale: bool) -> None:
        """Draw the rows as old data (the server is away) or as current."""
        if stale != self._stale:
            self._stale = stale
            self.set_class(stale, "-stale")
            self._lines.clear()
            self.refresh()

    def set_stale_targets(self, targets: frozenset[str | None]) -> None:
        """With several Beeper Desktops: draw only these targets' rows as old data."""
        if targets != self._stale_targets:
            self._stale_targets = targets
            self._lines.clear()
            self.refresh()

    def select(self, key: str) -> bool:
        """Put the cursor on an account (its :attr:`AccountRow.key`); False when the filter
        hides it (or it is gone)."""
        index = self._position.get(key)
        if index is None:
            return False
        self._move_to(index)
        return True

    # --- Marks -------------------------------------------------------------------------------

    def mark(
        self,
        notes: Mapping[str, str],
        *,
        seconds: float = MARK_SECONDS,
        keep_existing: bool = False,
    ) -> None:
        """Mark rows (``●``) for a while, each with a note the detail pane shows.
        ``keep_existing`` leaves rows that are already marked as they are."""
        until = self.clock() + seconds
        for account_id, note in notes.items():
            if keep_existing and self.mark_note(account_id) is not None:
                continue
            self._marks[account_id] = (until, note)
        self.refresh()
        self._report_cursor(force=True)

    def mark_note(self, account_id: str) -> str | None:
        """Why a row is marked, while it is."""
        entry = self._marks.get(account_id)
        if entry is None or entry[0] <= self.clock():
            return None
        return entry[1]

    def expire_marks(self) -> None:
        """Drop marks whose time is up (called by the screen's clock tick)."""
        now = self.clock()
        expired = [key for key, (until, _) in self._marks.items() if until <= now]
        for key in expired:
            del self._marks[key]
        if expired:
            self.refresh()

    # --- Drawing -------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._forget_drawing()

    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        self._forget_drawing()

    def _forget_drawing(self) -> None:
        """Drop cached styles and lines (the theme, focus or size changed)."""
        self._styles.clear()
        self._lines.clear()
        self.refresh()

    def _style(self, *components: str) -> Style:
        """The widget's style plus the given component styles, computed once per theme."""
        style = self._styles.get(components)
        if style is None:
            style = self.rich_style
            for component in components:
                style += self.get_component_rich_style(component)
            self._styles[components] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header_strip(width)
        index = int(self.scroll_offset.y) + y - 1
        if 0 <= index < len(self._shown):
            return self._row_strip(self._shown[index], index == self._cursor, width)
        if index == 0 and self._all:
            if self._query or self._bridge is None:
                note = f"No account matches “{clean(self._query)}” — Esc clears the filter"
            else:
                name = clean(self._bridge[1])
                note = f"No {name} account yet — a adds one, Esc shows every account"
            style = self._style("account-table--note")
            return Strip([Segment(fit(" " + note, width), style)], width)
        return Strip.blank(width, self._style())

    def shown_columns(self, width: int | None = None) -> list[tuple[Column, int]]:
        """The columns drawn at ``width`` (the list's own by default), each with its width."""
        if width is None:
            width = self.scrollable_content_region.width
        if self._widths[0] != width:
            self._widths = (width, shown_columns(width, self.columns))
        return self._widths[1]

    def _header_strip(self, width: int) -> Strip:
        style = self._style("account-table--header")
        segments: list[Segment] = [Segment(" " * (1 + GAP), style)]
        for column, cell_width in self.shown_columns(width):
            segments += [Segment(fit(column.heading, cell_width), style), Segment(" ", style)]
        return self._full_width(segments, width, style)

    def _row_strip(self, row: AccountRow, at_cursor: bool, width: int) -> Strip:
        """One account's line; drawn once and reused while nothing about it changes."""
        marked = self.mark_note(row.key) is not None
        is_stale = self._stale or row.target in self._stale_targets
        key = (row, at_cursor, marked, is_stale, width)
        strip = self._lines.get(key)
        if strip is not None:
            return strip
        stale = ("account-table--stale",) if is_stale else ()
        cursor = ("account-table--cursor",) if at_cursor else ()
        meta = Style.from_meta({"account": row.key})
        base = self._style(*stale, *cursor) + meta
        health_style = self._style(*stale, _HEALTH_CLASS[row.health], *cursor) + meta
        mark_style = self._style(*stale, "account-table--mark", *cursor) + meta
        segments = [Segment(_MARK if marked else " ", mark_style), Segment(" " * GAP, base)]
        for column, cell_width in self.shown_columns(width):
            style = health_style if column.key == "health" else base
            text = fit(column.value(row), cell_width, words=column.words)
            segments += [Segment(text, style), Segment(" " * GAP, base)]
        strip = self._full_width(segments, width, base)
        if len(self._lines) > _LINE_CACHE:
            self._lines.clear()
        self._lines[key] = strip
        return strip

    @staticmethod
    def _full_width(segments: list[Segment], width: int, style: Style) -> Strip:
        """The cells, padded with ``style`` (or cut) to exactly ``width``."""
        used = sum(segment.cell_length for segment in segments)
        if used < width:
            segments.append(Segment(" " * (width - used), style))
        return Strip(segments).crop(0, width)

    # --- Keys and mouse --------------------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def action_cursor_up(self) -> None:
        self._move_to(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._move_to(self._cursor + 1)

    def action_page_up(self) -> None:
        self._move_to(self._cursor - self._page)

    def action_page_down(self) -> None:
        self._move_to(self._cursor + self._page)

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self._shown) - 1)

    def action_choose(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Chosen(row))

    async def _on_click(self, event: events.Click) -> None:
        index = self._position.get(event.style.meta.get("account", ""))
        if index is not None:
            self._move_to(index)
            if event.chain >= 2:
                self.action_choose()

    # --- Internals ---------------------------------------------------------------------------

    def _apply_filter(self, keep: str | None, narrower: bool = False) -> None:
        """Recompute the shown rows; ``narrower`` (the query only grew) searches just the rows
        shown now, which is all a keystroke needs."""
        terms = filter_terms(self._query)
        everything = self._all
        if self._bridge is not None:
            bridge_key = self._bridge[0]
            everything = [row for row in self._all if row.bridge_key == bridge_key]
        source = self._shown if narrower else everything
        if not terms:
            self._shown = everything
        elif len(terms) == 1:
            term = terms[0]
            self._shown = [row for row in source if term in row.haystack]
        else:
            self._shown = [row for row in source if row.matches(terms)]
        self._position = {row.key: index for index, row in enumerate(self._shown)}
        index = self._position.get(keep, self._cursor) if keep is not None else 0
        self._cursor = max(min(index, len(self._shown) - 1), 0)
        self._update_virtual_size()
        self._scroll_to_cursor()
        self.refresh()
        self._report_cursor()

    def _update_virtual_size(self) -> None:
        size = Size(self.scrollable_content_region.width, len(self._shown) + 1)
        if size != self.virtual_size:
            self.virtual_size = size

    def _move_to(self, index: int) -> None:
        if not self._shown:
            return
        index = max(min(index, len(self._shown) - 1), 0)
        if index == self._cursor:
            return
        old, self._cursor = self._cursor, index
        self._refresh_row(old)
        self._refresh_row(index)
        self._scroll_to_cursor()
        self._report_cursor()

    def _scroll_to_cursor(self) -> None:
        top = int(self.scroll_offset.y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + self._page:
            self.scroll_to(y=self._cursor - self._page + 1, animate=False, immediate=True)

    def _refresh_row(self, index: int) -> None:
        y = index - int(self.scroll_offset.y) + 1
        self.refresh(Region(0, y, self.size.width, 1))

    def _report_cursor(self, force: bool = False) -> None:
        row, previous = self.current_row, self._reported
        self._reported = row
        if row is None or previous is None:
            changed = row is not previous
        else:
            changed = row.key != previous.key or not row.same_as(previous)
        if force or changed:
            self.post_message(self.CursorMoved(row))
