"""``AccountsScreen``: the app's home — every account, the broken ones first, and the keys to
fix them.

The screen lays out the list, its detail pane, the bridges view and the filter, routes keys
and clicks, runs the workers and draws what they bring. Each other role is an object it owns:
``TargetFeeds`` (``feed.py``: one ``GET /v1/bridges`` per refresh and target, asked by the poll
workers), ``AccountActions`` (``account_actions.py``: reconnect, add, remove, copy ID),
``ShownAccounts`` (``shown_accounts.py``: the filter, one bridge's accounts, the header's
verdict), ``DetailPane``, ``BridgesView`` and ``Announcer`` (notifications, the bell); the
keys are in ``keys.py``.

With several Beeper Desktops (``[targets.NAME]``) each target has its own feed and poll
worker, the list shows a Target column (the filter matches the target's name too), a target
that fails marks only its own rows stale, and every action on an account goes to the client
of the account's own target (``targets.py``); add goes to the selected account's target (the
bridges view lists that target's bridges).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from typing import TYPE_CHECKING

from textual import getters, on, work
from textual.app import ComposeResult
from textual.containers import Container
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from beeper_tui.api.models import BridgeLogin
from beeper_tui.tui.accounts.account_actions import AccountActions
from beeper_tui.tui.accounts.account_detail import AccountDetail
from beeper_tui.tui.accounts.account_rows import AccountRow, row_key
from beeper_tui.tui.accounts.account_table import AccountTable
from beeper_tui.tui.accounts.announcer import Announcer
from beeper_tui.tui.accounts.bridges_view import BridgesView
from beeper_tui.tui.accounts.detail_pane import DetailPane
from beeper_tui.tui.accounts.feed import FeedFailure, FeedUpdate, TargetFeeds
from beeper_tui.tui.accounts.filter_box import FilterBox
from beeper_tui.tui.accounts.keys import ACCOUNTS_KEYS, key_enabled
from beeper_tui.tui.accounts.login_wizards import LoginWizards
from beeper_tui.tui.accounts.notices import LoginReport
from beeper_tui.tui.accounts.shown_accounts import ShownAccounts
from beeper_tui.tui.accounts.status_header import StatusHeader
from beeper_tui.tui.accounts.targets import feeds_for, target_of, targets_label
from beeper_tui.tui.accounts.view_tabs import ViewTabs
from beeper_tui.tui.app import BeeperApp
from beeper_tui.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.widgets import DataTable

    from beeper_tui.tui.accounts.bridge_table import BridgeTable
    from beeper_tui.tui.accounts.commands import PaletteCommand

#: The parts an answer is drawn into; while any is gone, the screen is being torn down (the
#: bridges table joins them once it is built).
_PARTS = "#status, #accounts, #accounts-empty, #detail"
_PART_COUNT = 4


def _account_commands() -> type[Provider]:
    """The palette's account commands (their module loads when the palette first opens)."""
    from beeper_tui.tui.accounts.commands import AccountCommands

    return AccountCommands


class AccountsScreen(Screen[None]):
    """Every chat account and its health; reconnect, add and remove from here."""

    HELP_TITLE = "Accounts"
    COMMANDS = {_account_commands}
    BINDINGS = ACCOUNTS_KEYS

    app = getters.app(BeeperApp)
    header = getters.query_one("#status", StatusHeader)
    table = getters.query_one("#accounts", AccountTable)
    detail = getters.query_one("#detail", AccountDetail)
    filter_input = getters.query_one("#filter", FilterBox)
    """The filter box, once ``/`` made it (see ``ShownAccounts.make_box``)."""
    views = getters.query_one("#views", ViewTabs)

    # Made on mount: the feed takes the answer the app asked for while starting.
    feed: TargetFeeds
    """What Beeper Desktop says about the accounts."""
    actions: AccountActions
    """What the keys, the Enter menu and the palette do to an account."""
    shown: ShownAccounts
    """Which accounts the list shows, and what the header says of them."""
    announcer: Announcer
    """How the screen says what happened."""
    bridges_view: BridgesView
    """The bridges tab, built the first time it is shown."""

    def clock(self) -> float:
        """The time source of "updated N s ago" and of row marks (tests freeze it)."""
        return time.monotonic()

    def __init__(self) -> None:
        super().__init__()
        self._wake = asyncio.Event()
        self.wizards = LoginWizards(
            self._login_ended, target_of=lambda row: target_of(self.app.targets, row)
        )
        self.detail_pane = DetailPane(show=self._show_detail, set_timer=self.set_timer)
        self._parts: list[Widget] = []
        """The widgets every answer is drawn into, found once at mount (see ``leaving``)."""

    # --- Layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusHeader(targets_label(self.app.targets), clock=self.clock, id="status")
        yield ViewTabs(id="views")
        # Few containers: Textual draws each one's every line, even where its children
        # cover it (each nesting level cost ~0.15 MiB and a share of the first frame). The
        # views show by the screen's ``-bridges`` class (app.tcss), the filter box goes
        # above the accounts view when ``/`` makes it.
        with Container(id="accounts-view"):
            yield AccountTable(clock=self.clock, id="accounts")
            yield Static("Loading accounts…", id="accounts-empty")
            yield AccountDetail(self._load_logins, id="detail")
        # Its hint and table come when it is first shown: see ``BridgesView``.
        yield Container(id="bridges-view")
        yield Footer()

    def on_mount(self) -> None:
        self._parts = list(self.query(_PARTS))
        app = self.app
        feed = self.feed = feeds_for(
            app.targets, interval=app.refresh_interval, first_answer=app.take_first_bridges()
        )
        self.actions = AccountActions(app, feed, self.wizards, remember_logins=self.detail.remember)
        self.shown = ShownAccounts(
            feed=feed,
            table=self.table,
            make_box=self._make_filter_box,
            header=self.header,
            empty=self.query_one("#accounts-empty", Static),
            list_shown=self._place_detail,  # no pane beside an empty list
        )
        self.announcer = Announcer(app)
        self.bridges_view = BridgesView(
            pane=self.query_one("#bridges-view", Container),
            bridges=lambda: feed.bridges,
            target=app.targets[0].name,
            built=self._parts.append,  # an answer is drawn into it from then on
        )
        self.table.show_target = feed.several
        self.table.display = False
        self._place_detail()
        self.table.focus()
        self.set_interval(1.0, self._tick)
        self._poll()

    @property
    def bridge_table(self) -> BridgeTable:
        """The bridges view's table (built now if it is not yet)."""
        return self.bridges_view.build()

    def _current_target(self) -> str | None:
        """The target actions without an account go to: the selected account's."""
        row = self.table.current_row
        return row.target if row is not None else self.app.targets[0].name

    async def _load_logins(self, bridge_key: str) -> list[BridgeLogin]:
        """The detail pane's ``GET /v1/bridges/{id}/logins``, on the row's own target."""
        return await self.actions.logins(bridge_key)

    def on_resize(self) -> None:
        self._place_detail()

    def _place_detail(self) -> None:
        self.detail_pane.place(
            self.size,
            list_shown=self.table.display,
            body=self.query_one("#accounts-view"),
            pane=self.detail,
        )

    @property
    def on_bridges_view(self) -> bool:
        return self.views.active == "bridges-view"

    @property
    def leaving(self) -> bool:
        """The screen (or the app) is going away: nothing may act on it any more — an answer
        arriving now is dropped, a key pressed right after ``q`` does nothing."""
        if not self.is_attached or self.app.return_code is not None:
            return True
        # Asked for every key binding on every bindings refresh: the parts found at mount,
        # not a query over the whole screen each time (that was ~60 ms of the first paint).
        parts = self._parts or list(self.query(_PARTS))
        return len(parts) < _PART_COUNT or not all(part.is_attached for part in parts)

    # --- Keeping the list live ---------------------------------------------------------------

    def refresh_now(self) -> None:
        """Poll at once instead of waiting for the next tick."""
        self._wake.set()

    async def wait_for_next_poll(self, delay: float) -> None:
        """Wait ``delay`` seconds, or less when :meth:`refresh_now` (``g``) wakes the poll."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await self._wake.wait()

    def _poll(self) -> None:
        """One poll worker per Beeper Desktop, each on its own (a slow or absent one never
        holds the others up)."""
        for target in self.feed.feeds:
            self.run_worker(self._poll_target(target), group=f"poll-{target}", exclusive=True)

    async def _poll_target(self, target: str | None) -> None:
        """Refresh, draw, wait (or be woken by ``g``), repeat — for as long as the screen
        lives. While Beeper Desktop is away, the feed backs off."""
        feeds = self.feed
        while True:
            self._wake.clear()
            answer = await feeds.refresh(target)
            if self.leaving:
                return
            if isinstance(answer, FeedUpdate):
                self.show_update(answer, target)
            else:
                self.show_failure(answer)
            await self.wait_for_next_poll(feeds.retry_delay(target))

    def show_update(self, update: FeedUpdate, target: str | None = None) -> None:
        """Draw a refresh that worked (of ``target``, with several): the list (changed rows
        marked), the bridges, the header; name the accounts that broke."""
        self.detail.new_cycle()
        if update.first_load:
            # What start-up built (modules, styles, the first accounts) lives as long as the
            # app: keep it out of the cyclic collector's passes. With 2 000 accounts the
            # worst pause while typing drops by about 40% (benchmarks/filter.py, worst paced
            # keypress 45-80 ms instead of 80-119 ms). Objects are still freed by refcount.
            gc.freeze()
        self.table.show_rows(update.rows)
        several = self.feed.several
        if several:
            self.table.set_stale_targets(self.feed.stale_targets)
        else:
            self.table.set_stale(False)
        if update.changes:
            notes = {c.row.key: f"was {c.old_status.replace('_', ' ')}" for c in update.changes}
            self.table.mark(notes, keep_existing=True)
        self.bridges_view.take(update.bridges, target, several)
        failing = next(iter(self.feed.failing.values()), None)
        if several and failing is not None:
            self._show_failing(failing)
        else:
            self.header.loaded(update.version)
        self.shown.summarize()
        self.announcer.refreshed(update, target, several)

    def show_failure(self, failure: FeedFailure) -> None:
        """Draw a refresh that failed: the reason and the retry in the header, the last
        data kept and marked stale."""
        if self.feed.several:
            self._show_failing(failure)
            self.table.set_stale_targets(self.feed.stale_targets)
            return
        self.header.failed(failure.message, failure.retry_in)
        self.table.set_stale(failure.had_data)

    def _show_failing(self, failure: FeedFailure) -> None:
        """With several targets, the header names the one failing (its rows are stale)."""
        self.header.failed(f"{failure.target}: {failure.message}", failure.retry_in)

    def _tick(self) -> None:
        """Every second: "updated N s ago" moves on, and old marks fade."""
        if self.leaving:
            return
        self.header.tick()
        self.table.expire_marks()

    # --- The selected account's details ------------------------------------------------------

    @on(AccountTable.CursorMoved)
    def _cursor_moved(self, event: AccountTable.CursorMoved) -> None:
        self.detail_pane.cursor_moved(event.row, showing=self.detail.shown_row is not None)

    def _show_detail(self, row: AccountRow | None) -> None:
        if self.leaving:
            return
        note = self.table.mark_note(row.key) if row else None
        self.detail.show(row, self.feed.by_id, note)

    def action_toggle_details(self) -> None:
        self.detail_pane.asked = not self.detail.display
        self._place_detail()

    def show_details(self, account_id: str) -> None:
        """Bring the account into view with its detail pane open."""
        self.detail_pane.asked = True
        self._place_detail()
        if not self.table.select(account_id):
            self.action_clear_filter()
            self.table.select(account_id)

    # --- Filter and views --------------------------------------------------------------------

    def action_filter(self) -> None:
        self.shown.open_filter()

    def _make_filter_box(self) -> FilterBox:
        box = FilterBox(placeholder="Filter: name, network, status, ID…", id="filter")
        self.mount(box, before="#accounts-view")
        self.watch(box, "value", self._filter_changed, init=False)
        return box

    def _filter_changed(self, value: str) -> None:
        """Filter as the box changes — a watcher, so the list is redrawn in the same frame
        as the typed letter, not one message hop (and one frame) later."""
        self.shown.filter(value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_clear_filter(self) -> None:
        if self.shown.show_all():
            self.table.focus()

    def action_show_view(self, view: str) -> None:
        """``b``: the bridges view, or back to the accounts."""
        self.views.active = view

    @on(ViewTabs.Changed)
    def _view_changed(self, event: ViewTabs.Changed) -> None:
        self.set_class(event.active == "bridges-view", "-bridges")
        if self.on_bridges_view and self.feed.several:
            target = self._current_target()
            self.bridges_view.list_target(target, self.feed.bridges_of(target))
        (self.bridge_table if self.on_bridges_view else self.table).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.leaving:
            return False
        if action == "filter" and isinstance(self.focused, FilterBox):
            return False  # "/" is typed into the box (the key is a priority one: keys.py)
        return key_enabled(action, parameters, on_bridges_view=self.on_bridges_view)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on the bridges table (the screen's only ``DataTable``, named by handler so
        that the screen needs no table module before the bridges view is opened)."""
        if event.data_table.id != "bridges":
            return
        bridge = self.bridge_table.bridge_at(event.cursor_row)
        if bridge is not None:
            self.show_bridge_accounts(bridge.id, self.bridges_view.target)

    def show_bridge_accounts(self, bridge_id: str, target: str | None = None) -> None:
        """Enter on a bridge: the accounts view, narrowed to that bridge's accounts (Esc shows
        them all again); a bridge with none opens the wizard to add one instead. With several
        Beeper Desktops, ``target`` says whose bridge it is."""
        key = row_key(target, bridge_id) if self.feed.several else bridge_id
        bridge = self.feed.bridge(key)
        if bridge is None:
            return
        if not any(row.bridge_key == key for row in self.table.all_rows):
            self.add_account(bridge_id, target)
            return
        self.shown.only_bridge(key, bridge.display_name)
        self.action_show_view("accounts-view")

    # --- Keys and clicks on accounts ---------------------------------------------------------

    def _selected(self) -> AccountRow | None:
        row = self.table.current_row
        if row is None:
            self.notify("No account selected.", severity="warning")
        return row

    def action_reconnect(self) -> None:
        if row := self._selected():
            self.reconnect_account(row.key)

    def action_remove(self) -> None:
        if row := self._selected():
            self.remove_account(row.key)

    def action_copy_id(self) -> None:
        if row := self._selected():
            self.copy_account_id(row.key)

    def action_refresh(self) -> None:
        self.refresh_now()

    @on(AccountTable.Chosen)
    def _account_chosen(self, event: AccountTable.Chosen) -> None:
        account_id = event.row.key

        def chosen(action: str | None) -> None:
            if action:
                self.run_account_action(action, account_id)

        from beeper_tui.tui.accounts.pickers import AccountMenuDialog

        self.app.push_screen(AccountMenuDialog(event.row), chosen)

    def run_account_action(self, action: str, account_id: str) -> None:
        """An action of the Enter menu (or the palette) on one account (``account_id`` is
        its :attr:`AccountRow.key`: the ID, with its target when there are several)."""
        run = {
            "reconnect": self.reconnect_account,
            "remove": self.remove_account,
            "copy_id": self.copy_account_id,
            "details": self.show_details,
        }.get(action)
        if run is not None and not self.leaving:
            run(account_id)

    def copy_account_id(self, account_id: str) -> None:
        """``c``: the account ID onto the clipboard."""
        self.actions.copy_id(account_id)

    def reconnect_account(self, account_id: str) -> None:
        """Open the login wizard on an account's login (and the bridge's remembered flow)."""
        self.actions.reconnect(account_id)

    def add_account(self, bridge_id: str, target: str | None = None) -> None:
        """Open the login wizard for a new account, unless the bridge can't take one now.
        With several Beeper Desktops it goes to ``target`` (default: the selected account's)."""
        if self.leaving:
            return
        if self.feed.several and target is None:
            target = self._current_target()
        self.actions.add(bridge_id, target)

    def action_add(self) -> None:
        if not self.on_bridges_view:
            narrowed = self.table.bridge_filter  # the list shows one bridge: add to it
            key = narrowed[0] if narrowed is not None else None
            self.actions.pick_bridge(self._current_target(), key, self.add_account)
        elif bridge := self.bridge_table.current_bridge:
            self.add_account(bridge.id, self.bridges_view.target)

    def _login_ended(self, report: LoginReport) -> None:
        """A wizard opened from here ended: mark the rows, say what happened, refresh."""
        if self.leaving:
            return
        if report.marks:
            self.table.mark(report.marks)
        if report.notice:
            self.announcer.say(report.notice)
        self.refresh_now()

    def action_reconnect_all(self) -> None:
        self._reconnect_all()

    @work(exclusive=True, group="batch")
    async def _reconnect_all(self) -> None:
        """``R``: every account that needs attention, one wizard after another; then a
        summary."""
        if await self.actions.reconnect_all():
            self.refresh_now()

    def remove_account(self, account_id: str) -> None:
        """``d``: confirm and remove the account's login (the dialog names every account
        that goes with it)."""
        if row := self.actions.removable(account_id):
            self._remove(row)

    @work(exclusive=True, group="remove")
    async def _remove(self, row: AccountRow) -> None:
        if await self.actions.remove(row):
            self.refresh_now()

    # --- Command palette ---------------------------------------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        """The screen's commands, in words, for the command palette."""
        from beeper_tui.tui.accounts.commands import accounts_palette

        bridges = self.actions.bridges_to_add_to(self._current_target())
        return accounts_palette(self, bridges, self.table.all_rows)
