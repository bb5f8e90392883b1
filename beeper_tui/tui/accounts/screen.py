"""``AccountsScreen``: the app's home — every account, the broken ones first, and the keys to
fix them.

The screen lays out the list, its detail pane, the bridges view and the filter, and routes
keys and clicks. Its two working parts are mixed in from their own modules: ``LiveHealth``
(the poll that keeps the list live) and ``AccountActions`` (reconnect, add, remove, copy). A
login's details (``GET .../logins``) are loaded lazily for the selected account only.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static, TabbedContent, TabPane

from beeper_tui.api.client import BeeperClient
from beeper_tui.api.models import Bridge
from beeper_tui.text import clean
from beeper_tui.tui.accounts.account_detail import AccountDetail
from beeper_tui.tui.accounts.account_rows import AccountRow
from beeper_tui.tui.accounts.account_table import AccountTable
from beeper_tui.tui.accounts.actions import AccountActions
from beeper_tui.tui.accounts.bridge_table import BridgeTable, why_cant_add
from beeper_tui.tui.accounts.commands import AccountCommands, PaletteCommand, accounts_palette
from beeper_tui.tui.accounts.filter_box import FilterBox
from beeper_tui.tui.accounts.live_health import LiveHealth
from beeper_tui.tui.accounts.status_header import StatusHeader
from beeper_tui.tui.widgets.footer import Footer

#: Keys that act on the accounts list, hidden while the bridges view is up.
LIST_ACTIONS = frozenset(
    {"reconnect", "reconnect_all", "remove", "copy_id", "filter", "toggle_details"}
)
#: Seconds the cursor rests on an account before its details are drawn.
DETAIL_DELAY = 0.05

if TYPE_CHECKING:

    class AccountsScreenPart(Screen[None]):
        """What the parts mixed into ``AccountsScreen`` (``LiveHealth``, ``AccountActions``)
        use of it and of each other — for the type checker, which holds the screen to it."""

        _bridges: list[Bridge]
        _rows: dict[str, AccountRow]

        def clock(self) -> float: ...
        def refresh_now(self) -> None: ...
        def _update_summary(self) -> None: ...
        @property
        def client(self) -> BeeperClient: ...
        @property
        def table(self) -> AccountTable: ...
        @property
        def bridge_table(self) -> BridgeTable: ...
        @property
        def detail(self) -> AccountDetail: ...
        @property
        def header(self) -> StatusHeader: ...
        @property
        def on_bridges_view(self) -> bool: ...


class AccountsScreen(LiveHealth, AccountActions, Screen[None]):
    """Every chat account and its health; reconnect, add and remove from here."""

    HELP_TITLE = "Accounts"
    COMMANDS = {AccountCommands}

    BINDINGS = [
        Binding("r", "reconnect", "Reconnect", tooltip="Reconnect the selected account"),
        Binding(
            "R",
            "reconnect_all",
            "Reconnect all",
            tooltip="Reconnect every account that needs attention, one after another",
        ),
        Binding("a", "add", "Add", tooltip="Add an account (pick a network first)"),
        Binding("d", "remove", "Remove", tooltip="Remove the selected account's login"),
        Binding(
            "slash",
            "filter",
            "Filter",
            key_display="/",
            tooltip="Filter by any text: name, network, status, ID",
        ),
        Binding("g", "refresh", "Refresh", tooltip="Ask Beeper Desktop for news now"),
        Binding("c", "copy_id", "Copy ID", show=False, tooltip="Copy the account ID"),
        Binding("b", "show_view('bridges-view')", "Bridges", tooltip="Show the bridges"),
        Binding("b", "show_view('accounts-view')", "Accounts", tooltip="Back to the accounts"),
        Binding("i", "toggle_details", "Details", show=False, tooltip="Show or hide details"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("q", "app.quit", "Quit", tooltip="Quit beeper-tui"),
    ]

    def clock(self) -> float:
        """The time source of "updated N s ago" and of row marks (tests freeze it)."""
        return time.monotonic()

    def __init__(self) -> None:
        super().__init__()
        self._detail_timer: Timer | None = None

    # --- Layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusHeader(self.app.conn.label, clock=self.clock, id="status")  # type: ignore[attr-defined]
        with TabbedContent(id="views", initial="accounts-view"):
            with TabPane("Accounts", id="accounts-view"):
                yield FilterBox(placeholder="Filter: name, network, status, ID…", id="filter")
                with Horizontal(id="accounts-body"):
                    with Vertical(id="accounts-main"):
                        yield AccountTable(clock=self.clock, id="accounts")
                        yield Static("Loading accounts…", id="accounts-empty")
                    yield AccountDetail(id="detail")
            with TabPane("Bridges", id="bridges-view"):
                yield Static(
                    "Enter or a adds an account to the selected bridge.", id="bridges-hint"
                )
                yield BridgeTable(id="bridges")
        yield Footer()

    def on_mount(self) -> None:
        self.table.display = False
        self.table.focus()
        self.set_interval(1.0, self._tick)
        self.watch(self.filter_input, "value", self._filter_changed, init=False)
        self._poll()

    @property
    def client(self) -> BeeperClient:
        return self.app.client  # type: ignore[attr-defined, no-any-return]

    @property
    def table(self) -> AccountTable:
        return self.query_one("#accounts", AccountTable)

    @property
    def bridge_table(self) -> BridgeTable:
        return self.query_one("#bridges", BridgeTable)

    @property
    def detail(self) -> AccountDetail:
        return self.query_one("#detail", AccountDetail)

    @property
    def header(self) -> StatusHeader:
        return self.query_one("#status", StatusHeader)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    @property
    def on_bridges_view(self) -> bool:
        return self.query_one("#views", TabbedContent).active == "bridges-view"

    # --- Header summary and the empty list ---------------------------------------------------

    def _update_summary(self) -> None:
        table = self.table
        self.header.summarize(table.all_rows, len(table.shown_rows), table.filter_query)
        empty = self.query_one("#accounts-empty", Static)
        has_rows = bool(table.all_rows)
        table.display = has_rows
        empty.display = not has_rows
        if not has_rows and self._loaded:
            ready = [b.display_name for b in self._bridges if why_cant_add(b) is None]
            text = Text("No accounts yet.\n\n", style="bold")
            text.append("Press a to add one")
            if ready:
                text.append(" — " + clean(", ".join(ready[:8])) + " can take one now")
            text.append(".")
            empty.update(text)

    # --- The selected account's details ------------------------------------------------------

    @on(AccountTable.CursorMoved)
    def _cursor_moved(self, event: AccountTable.CursorMoved) -> None:
        """Show the account under the cursor once it rests there a moment (a held j/k or a
        filter being typed redraws the pane once, not per key)."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
        row = event.row
        self._detail_timer = self.set_timer(DETAIL_DELAY, lambda: self._show_detail(row))

    def _show_detail(self, row: AccountRow | None) -> None:
        note = self.table.mark_note(row.account_id) if row else None
        self.detail.show(row, self._rows, note)

    # --- Filter and views --------------------------------------------------------------------

    def action_filter(self) -> None:
        self.filter_input.add_class("-open")
        self.filter_input.focus()

    def _filter_changed(self, value: str) -> None:
        """Filter as the box changes — a watcher, so the list is redrawn in the same frame
        as the typed letter, not one message hop (and one frame) later."""
        self.table.set_filter(value)
        self._update_summary()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_clear_filter(self) -> None:
        box = self.filter_input
        if not box.has_class("-open") and not self.table.filter_query:
            return
        box.value = ""
        box.remove_class("-open")
        self.table.set_filter("")
        self._update_summary()
        self.table.focus()

    def action_show_view(self, view: str) -> None:
        """``b``: the bridges view, or back to the accounts."""
        self.query_one("#views", TabbedContent).active = view

    @on(TabbedContent.TabActivated)
    def _view_changed(self) -> None:
        (self.bridge_table if self.on_bridges_view else self.table).focus()
        self.refresh_bindings()

    def action_toggle_details(self) -> None:
        self.detail.display = not self.detail.display

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_view":
            current = "bridges-view" if self.on_bridges_view else "accounts-view"
            return parameters[0] != current
        return not (action in LIST_ACTIONS and self.on_bridges_view)

    # --- Keys and clicks on accounts (the work is in AccountActions) -------------------------

    def _selected(self) -> AccountRow | None:
        row = self.table.current_row
        if row is None:
            self.notify("No account selected.", severity="warning")
        return row

    def action_reconnect(self) -> None:
        if row := self._selected():
            self.reconnect_account(row.account_id)

    def action_remove(self) -> None:
        if row := self._selected():
            self.remove_account(row.account_id)

    def action_copy_id(self) -> None:
        if row := self._selected():
            self.copy_account_id(row.account_id)

    def action_refresh(self) -> None:
        self.refresh_now()

    @on(AccountTable.Chosen)
    def _account_chosen(self, event: AccountTable.Chosen) -> None:
        account_id = event.row.account_id

        def chosen(action: str | None) -> None:
            if action:
                self.run_account_action(action, account_id)

        from beeper_tui.tui.accounts.pickers import AccountMenuDialog

        self.app.push_screen(AccountMenuDialog(event.row), chosen)

    def run_account_action(self, action: str, account_id: str) -> None:
        """An action of the Enter menu (or the palette) on one account."""
        if action == "reconnect":
            self.reconnect_account(account_id)
        elif action == "remove":
            self.remove_account(account_id)
        elif action == "copy_id":
            self.copy_account_id(account_id)
        elif action == "details":
            self.show_details(account_id)

    def show_details(self, account_id: str) -> None:
        """Bring the account into view with its detail pane open."""
        self.detail.display = True
        if not self.table.select(account_id):
            self.action_clear_filter()
            self.table.select(account_id)

    @on(DataTable.RowSelected, "#bridges")
    def _bridge_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.add_account(event.row_key.value)

    # --- Command palette ---------------------------------------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        """The screen's commands, in words, for the command palette."""
        return accounts_palette(self, self._bridges, self.table.all_rows)
