"""``AccountsScreen``: the app's home — every account, the broken ones first, and the keys to
fix them.

One ``GET /v1/bridges`` per refresh fills the list, the bridges view and the header. The poll
runs in a worker; when Beeper Desktop goes away the last data stays, marked stale, and the poll
backs off until it answers again. A login's details (``GET .../logins``) are loaded lazily
for the selected account only.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static, TabbedContent, TabPane

from beeper_tui.api.client import BeeperClient
from beeper_tui.api.errors import BeeperError
from beeper_tui.api.models import Bridge, BridgeLogin
from beeper_tui.tui.commands import AccountCommands, PaletteCommand, accounts_palette
from beeper_tui.tui.widgets.account_detail import AccountDetail, shown_value
from beeper_tui.tui.widgets.account_rows import AccountRow, rows_from_bridges, status_changes
from beeper_tui.tui.widgets.account_table import AccountTable, cell_text
from beeper_tui.tui.widgets.bridge_table import BridgeTable, why_cant_add
from beeper_tui.tui.widgets.filter_box import FilterBox
from beeper_tui.tui.widgets.status_header import StatusHeader

if TYPE_CHECKING:
    from beeper_tui.tui.screens.wizard import LoginOutcome, LoginWizardScreen

#: Longest pause between retries while Beeper Desktop is away.
MAX_BACKOFF = 60.0
#: Accounts needing attention named one by one in notifications; more get one summary.
NOTIFY_EACH = 3
#: Keys that act on the accounts list, hidden while the bridges view is up.
LIST_ACTIONS = frozenset(
    {"reconnect", "reconnect_all", "remove", "copy_id", "filter", "toggle_details"}
)
#: Seconds the cursor rests on an account before its details are drawn.
DETAIL_DELAY = 0.05


class AccountsScreen(Screen[None]):
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
        self._bridges: list[Bridge] = []
        self._rows: dict[str, AccountRow] = {}
        self._flows: dict[str, str] = {}
        self._failures = 0
        self._loaded = False
        self._info_version: str | None = None
        self._wake = asyncio.Event()
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

    # --- Live health -------------------------------------------------------------------------

    def refresh_now(self) -> None:
        """Poll at once instead of waiting for the next tick."""
        self._wake.set()

    def retry_delay(self) -> float:
        """The pause before the next poll: the refresh interval, doubling while failing."""
        interval = float(self.app.refresh_interval)  # type: ignore[attr-defined]
        if not self._failures:
            return interval
        return min(interval * 2.0**self._failures, max(MAX_BACKOFF, interval))

    @work(exclusive=True, group="poll")
    async def _poll(self) -> None:
        """Refresh, wait (or be woken by ``g``), repeat — for as long as the screen lives."""
        while True:
            self._wake.clear()
            self._failures = 0 if await self._refresh_once() else self._failures + 1
            if self.closing:
                return
            delay = self.retry_delay()
            if self._failures:
                self.header.retry_at = self.clock() + delay
                self.header.tick()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._wake.wait()

    @property
    def closing(self) -> bool:
        """The screen (or the app) is going away: an answer arriving now is dropped."""
        parts = self.query("#status, #accounts, #accounts-empty, #detail, #bridges")
        return not self.is_attached or len(parts) < 5

    async def _refresh_once(self) -> bool:
        """One ``GET /v1/bridges``; on failure the old data stays, marked stale."""
        try:
            bridges = await self.client.bridges()
            if self.closing:
                return True
        except BeeperError as exc:
            self._show_failure(exc.message)
            return False
        except Exception as exc:  # never a traceback: say what broke, keep polling
            self._show_failure(f"Unexpected problem: {type(exc).__name__}: {exc}")
            return False
        version = self.client.server_version or self._info_version
        if version is None and not self._loaded:  # no version header: ask /v1/info, once
            with contextlib.suppress(BeeperError):
                version = self._info_version = (await self.client.info()).app.version
        if not self.closing:
            self._apply(bridges, version)
        return True

    def _show_failure(self, message: str) -> None:
        if self.closing:
            return
        self.header.failed(message, self.retry_delay())
        self.table.set_stale(self._loaded)

    def _apply(self, bridges: list[Bridge], version: str | None) -> None:
        rows = rows_from_bridges(bridges)
        changes = status_changes(self.table.all_rows, rows) if self._loaded else []
        self._bridges, self._rows = bridges, {row.account_id: row for row in rows}
        self.detail.new_cycle()
        self._loaded = True
        self.table.show_rows(rows)
        self.table.set_stale(False)
        if changes:
            notes = {c.row.account_id: f"was {c.old_status.replace('_', ' ')}" for c in changes}
            self.table.mark(notes, keep_existing=True)
        self.bridge_table.show_bridges(bridges)
        self.header.loaded(version)
        self._update_summary()
        self._report_breakage([c.row for c in changes if c.broke])

    def _report_breakage(self, broken: list[AccountRow]) -> None:
        if not broken:
            return
        if len(broken) > NOTIFY_EACH:
            self.notify(
                f"{len(broken)} accounts need attention. Press R to reconnect them one by one.",
                title="Accounts need attention",
                severity="warning",
                markup=False,
            )
        for row in broken if len(broken) <= NOTIFY_EACH else []:
            self.notify(
                f"{shown_value(row.title, 80)}: {shown_value(row.status_text or row.status)}",
                title="Needs attention",
                severity="warning",
                markup=False,
            )
        if self.app.bell_on_breakage:  # type: ignore[attr-defined]
            self.app.bell()

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
                text.append(" — " + cell_text(", ".join(ready[:8])) + " can take one now")
            text.append(".")
            empty.update(text)

    def _tick(self) -> None:
        self.header.tick()
        self.table.expire_marks()

    # --- The selected account's details ---------------------------------------------------------

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

    # --- Account actions ---------------------------------------------------------------------

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

        from beeper_tui.tui.screens.menus import AccountActionsScreen

        self.app.push_screen(AccountActionsScreen(event.row), chosen)

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

    def copy_account_id(self, account_id: str) -> None:
        self.app.copy_to_clipboard(account_id)
        self.notify(f"Copied account ID {cell_text(account_id)}", title="Copied", markup=False)

    def reconnect_account(self, account_id: str) -> None:
        """Open the login wizard on an account's login (and the bridge's remembered flow)."""
        row = self._rows.get(account_id)
        if row is None:
            self.notify("That account is no longer listed.", severity="warning")
            return
        self.app.push_screen(self.wizard_for(row), lambda outcome: self.after_login(outcome, row))

    def add_account(self, bridge_id: str) -> None:
        """Open the login wizard for a new account, unless the bridge can't take one now."""
        bridge = next((b for b in self._bridges if b.id == bridge_id), None)
        why_not = why_cant_add(bridge) if bridge is not None else None
        if bridge is not None and why_not:
            self.notify(
                shown_value(why_not),
                title=f"Can't add a {shown_value(bridge.display_name, 40)} account now",
                severity="warning",
                markup=False,
            )
            return
        from beeper_tui.tui.screens.wizard import LoginWizardScreen

        self.app.push_screen(LoginWizardScreen(bridge_id), self.after_login)

    def action_add(self) -> None:
        if self.on_bridges_view:
            bridge = self.bridge_table.current_bridge
            if bridge is not None:
                self.add_account(bridge.id)
            return
        if not self._bridges:
            self.notify("No bridges known yet: wait for the list to load.", severity="warning")
            return

        def picked(bridge_id: str | None) -> None:
            if bridge_id:
                self.add_account(bridge_id)

        from beeper_tui.tui.screens.menus import BridgePickerScreen

        self.app.push_screen(BridgePickerScreen(self._bridges), picked)

    @on(DataTable.RowSelected, "#bridges")
    def _bridge_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.add_account(event.row_key.value)

    def after_login(
        self, outcome: LoginOutcome | None, row: AccountRow | None = None, *, quiet: bool = False
    ) -> None:
        """Remember the flow, mark the row, say what happened (unless ``quiet``), refresh."""
        if outcome is None:
            return
        if outcome.flow_id:
            self._flows[outcome.bridge_id] = outcome.flow_id
        if quiet:
            if outcome.status == "complete" and row is not None:
                self.table.mark({row.account_id: "reconnected just now"})
        elif outcome.status == "complete":
            ids = {i for i in (outcome.account_id, row.account_id if row else None) if i}
            note = "reconnected just now" if row else "added just now"
            self.table.mark(dict.fromkeys(ids, note))
            who = outcome.account.user.display_name if outcome.account else None
            name = row.title if row else (who or outcome.bridge_id)
            self.notify(f"{shown_value(name, 80)}: {note}.", title="Connected", markup=False)
        elif outcome.status == "failed":
            why = outcome.error.message if outcome.error else "the login failed"
            self.notify(shown_value(why), title="Login failed", severity="error", markup=False)
        self.refresh_now()

    def action_reconnect_all(self) -> None:
        self._reconnect_all()

    @work(exclusive=True, group="batch")
    async def _reconnect_all(self) -> None:
        from beeper_tui.tui.screens.batch import reconnect_all

        await reconnect_all(self)

    def wizard_for(self, row: AccountRow) -> LoginWizardScreen:
        """A login wizard that reconnects ``row`` (with the bridge's remembered flow)."""
        from beeper_tui.tui.screens.wizard import LoginWizardScreen

        return LoginWizardScreen(
            row.bridge_id,
            flow_id=self._flows.get(row.bridge_id),
            login_id=row.login_id,
            account_id=row.account_id,
        )

    def remove_account(self, account_id: str) -> None:
        row = self._rows.get(account_id)
        if row is None:
            self.notify("That account is no longer listed.", severity="warning")
        elif not row.login_id:
            self.notify("This account has no login ID, so it can't be removed here.")
        else:
            self._remove(row)

    @work(exclusive=True, group="remove")
    async def _remove(self, row: AccountRow) -> None:
        from beeper_tui.tui.screens.remove import remove_login_of

        await remove_login_of(self, row)

    def remember_logins(self, bridge_id: str, logins: list[BridgeLogin]) -> None:
        """Logins loaded elsewhere (the remove dialog) serve the detail pane too."""
        self.detail.remember(bridge_id, logins)

    def name_of(self, account_id: str) -> str:
        """``WhatsApp — Alice (wa-1)``, or the bare ID of an account no longer listed."""
        row = self._rows.get(account_id)
        shown = shown_value(account_id)
        return f"{shown_value(row.title)} ({shown})" if row else shown

    def api_error(self, title: str, exc: BeeperError) -> None:
        """An API failure as a notification (never a traceback)."""
        self.notify(cell_text(exc.explanation), title=title, severity="error", markup=False)

    # --- Command palette -------------------------------------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        """The screen's commands, in words, for the command palette."""
        return accounts_palette(self, self._bridges, self.table.all_rows)
