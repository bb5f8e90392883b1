"""``AccountsScreen``: the app's home — every account, the broken ones first, and the keys to
fix them.

The screen lays out the list, its detail pane, the bridges view and the filter, routes keys
and clicks, and runs the workers. What Beeper Desktop says comes from an
:class:`~beeper_tui.tui.accounts.feed.AccountsFeed` (one ``GET /v1/bridges`` per refresh; the
screen's poll worker asks it and draws each answer). The keys that act on accounts start
here, each part handed what it needs: :class:`~.login_wizards.LoginWizards` opens the login
wizard (reconnect one or all, add) and says how it ended, :func:`~.remove_login.remove_login`
removes a login; the dialogs are imported when first opened. A login's details
(``GET .../logins``) are loaded lazily for the selected account only.

With several Beeper Desktops (``[targets.NAME]``) each target has its own feed and poll
worker (:class:`~beeper_tui.tui.accounts.feed.TargetFeeds`), the list shows a Target column
(the filter matches the target's name too), a target that fails marks only its own rows stale,
and every action on an account — reconnect, remove, its details — goes to the client of the
account's own target; add goes to the selected account's target (the bridges view lists that
target's bridges).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static, TabbedContent, TabPane

from beeper_tui.alerts.account_alerts import AccountAlerts
from beeper_tui.api.adding import why_cant_add
from beeper_tui.api.client import BeeperClient
from beeper_tui.api.models import BridgeLogin, Health
from beeper_tui.text import clean, shown
from beeper_tui.tui.accounts.account_detail import AccountDetail, detail_place
from beeper_tui.tui.accounts.account_rows import AccountRow, row_key, split_key
from beeper_tui.tui.accounts.account_table import AccountTable
from beeper_tui.tui.accounts.account_words import an_account_of
from beeper_tui.tui.accounts.bridge_table import BridgeTable
from beeper_tui.tui.accounts.commands import AccountCommands, PaletteCommand, accounts_palette
from beeper_tui.tui.accounts.feed import AccountsFeed, FeedFailure, FeedUpdate, TargetFeeds
from beeper_tui.tui.accounts.filter_box import FilterBox
from beeper_tui.tui.accounts.login_wizards import LoginWizards
from beeper_tui.tui.accounts.notices import LoginReport, Notice, breakage_notices
from beeper_tui.tui.accounts.status_header import StatusHeader
from beeper_tui.tui.app import BeeperApp, DesktopTarget
from beeper_tui.tui.widgets.footer import Footer

#: Keys that act on the accounts list, hidden while the bridges view is up.
LIST_ACTIONS = frozenset(
    {"reconnect", "reconnect_all", "remove", "copy_id", "filter", "toggle_details"}
)
#: Seconds the cursor rests on an account before its details are drawn.
DETAIL_DELAY = 0.05
#: Seconds after the first answer is drawn before the hidden bridges view is built.
BRIDGES_VIEW_DELAY = 0.1
#: The parts an answer is drawn into; while any is gone, the screen is being torn down (the
#: bridges table joins them once it is built).
_PARTS = "#status, #accounts, #accounts-empty, #detail"
_PART_COUNT = 4
#: What the bridges view says above its table.
_BRIDGES_HINT = "⏎ shows the bridge's accounts (adds one where it has none) · a adds one"


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

    app = getters.app(BeeperApp)
    header = getters.query_one("#status", StatusHeader)
    table = getters.query_one("#accounts", AccountTable)
    detail = getters.query_one("#detail", AccountDetail)
    filter_input = getters.query_one("#filter", FilterBox)
    views = getters.query_one("#views", TabbedContent)

    def clock(self) -> float:
        """The time source of "updated N s ago" and of row marks (tests freeze it)."""
        return time.monotonic()

    def __init__(self) -> None:
        super().__init__()
        self._detail_timer: Timer | None = None
        self._wake = asyncio.Event()
        self.wizards = LoginWizards(self._login_ended, target_of=self.target_of)
        self._feed: TargetFeeds | None = None
        self._alerts: dict[str | None, AccountAlerts] = {}
        """With several targets and ``--notify``: each target's own account tracking."""
        self._bridges_target: str | None = None
        """With several targets: whose bridges the bridges view lists."""
        self._parts: list[Widget] = []
        """The widgets every answer is drawn into, found once at mount (see ``leaving``)."""
        self._bridge_table: BridgeTable | None = None
        self._bridges_view_planned = False
        self._details_asked: bool | None = None
        """``i`` (or the Enter menu) showed or hid the detail pane; None: as the size says."""

    # --- Layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusHeader(self._label(), clock=self.clock, id="status")
        with TabbedContent(id="views", initial="accounts-view"):
            with TabPane("Accounts", id="accounts-view"):
                yield FilterBox(placeholder="Filter: name, network, status, ID…", id="filter")
                with Container(id="accounts-body"):
                    with Vertical(id="accounts-main"):
                        yield AccountTable(clock=self.clock, id="accounts")
                        yield Static("Loading accounts…", id="accounts-empty")
                    yield AccountDetail(self._load_logins, id="detail")
            # Its hint and table come a frame later: see ``bridge_table``.
            yield TabPane("Bridges", id="bridges-view")
        yield Footer()

    def on_mount(self) -> None:
        self._parts = list(self.query(_PARTS))
        app = self.app
        first_answer = app.take_first_bridges()
        self._feed = TargetFeeds(
            [
                AccountsFeed(
                    target.client,
                    interval=app.refresh_interval,
                    first_answer=first_answer if index == 0 else None,
                    target=target.name,
                )
                for index, target in enumerate(app.targets)
            ]
        )
        self._bridges_target = app.targets[0].name
        self.table.show_target = self._feed.several
        self.table.display = False
        self._place_detail()
        self.table.focus()
        self.set_interval(1.0, self._tick)
        self.watch(self.filter_input, "value", self._filter_changed, init=False)
        self._poll()

    def _build_bridges_view_soon(self) -> None:
        """Once the first answer is drawn: build the bridges view when that frame is out."""
        if not self._bridges_view_planned:
            self._bridges_view_planned = True
            self.set_timer(BRIDGES_VIEW_DELAY, self._build_unless_leaving)

    def _build_unless_leaving(self) -> None:
        if not self.leaving:
            self._build_bridges_view()

    @property
    def bridge_table(self) -> BridgeTable:
        """The bridges view's table (built now if this comes before ``_build_bridges_view``)."""
        return self._build_bridges_view()

    def _build_bridges_view(self) -> BridgeTable:
        """The bridges view is hidden behind its tab until ``b``: its hint and table are built
        just after the first answer is on screen, with the bridges known by then, so that the
        first frame with the accounts pays for them only (a table widget's styles and mount
        were ~5% of launch → accounts painted, ``benchmarks/launch.py``)."""
        if self._bridge_table is None:
            table = self._bridge_table = BridgeTable(id="bridges")
            table.show_bridges(self.feed.bridges)
            pane = self.query_one("#bridges-view", TabPane)
            pane.mount(Static(_BRIDGES_HINT, id="bridges-hint"), table)
            self._parts.append(table)
        return self._bridge_table

    def _label(self) -> str:
        """The header's "where": the address, or with several targets their names."""
        targets = self.app.targets
        if len(targets) == 1:
            return self.app.conn.label
        return f"{len(targets)} Beeper Desktops: " + ", ".join(t.name or "" for t in targets)

    def target_of(self, row: AccountRow | None) -> DesktopTarget:
        """The Beeper Desktop an account is on (the first, with one or for ``None``)."""
        targets = self.app.targets
        if row is None:
            return targets[0]
        return next((t for t in targets if t.name == row.target), targets[0])

    def _target_named(self, name: str | None) -> DesktopTarget:
        return next((t for t in self.app.targets if t.name == name), self.app.targets[0])

    def _current_target(self) -> str | None:
        """The target actions without an account go to: the selected account's."""
        row = self.table.current_row
        return row.target if row is not None else self.app.targets[0].name

    async def _load_logins(self, bridge_key: str) -> list[BridgeLogin]:
        """The detail pane's ``GET /v1/bridges/{id}/logins``, on the row's own target."""
        target, bridge_id = split_key(bridge_key) if self.feed.several else (None, bridge_key)
        return await self._target_named(target).client.logins(bridge_id)

    def on_resize(self) -> None:
        self._place_detail()

    def _place_detail(self) -> None:
        """The detail pane beside the list on a wide screen, below it on a tall one, hidden
        (until ``i``) on a small one — so the list keeps the width its Status column needs.
        While there is no account to show, there is no pane."""
        place = detail_place(self.size.width, self.size.height)
        asked = self._details_asked
        shown = (asked if asked is not None else place != "hidden") and self.table.display
        below = place != "side"
        self.query_one("#accounts-body").set_class(below and shown, "-below")
        self.detail.set_class(below, "-below")
        self.detail.display = shown

    @property
    def client(self) -> BeeperClient:
        """The (first) Beeper Desktop's client; an account's own is ``target_of(row)``'s."""
        return self.app.client

    @property
    def feed(self) -> TargetFeeds:
        """What Beeper Desktop says about the accounts (the feed is made on mount, with the
        answer the app asked for while starting)."""
        assert self._feed is not None, "the accounts screen is not mounted yet"
        return self._feed

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
            self._build_bridges_view_soon()
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
        if self._bridge_table is not None and (not several or target == self._bridges_target):
            self._bridge_table.show_bridges(update.bridges)  # else it takes them when built
        failing = next(iter(self.feed.failing.values()), None)
        if several and failing is not None:
            self._show_failing(failing)
        else:
            self.header.loaded(update.version)
        self._update_summary()
        notices = breakage_notices(update.broken)
        for notice in notices:
            self._say(notice)
        if notices and self.app.bell_on_breakage:
            self.app.bell()
        alerts = self.app.account_alerts
        if alerts is not None and several:  # each target's accounts tracked on their own
            alerts = self._alerts.setdefault(target, AccountAlerts(alerts.notifier))
        if alerts is not None:  # --notify: the desktop's notifications
            alerts.update(update.bridges)

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

    def _say(self, notice: Notice) -> None:
        self.notify(notice.message, title=notice.title, severity=notice.severity, markup=False)

    # --- Header summary and the empty list ---------------------------------------------------

    def _update_summary(self) -> None:
        table = self.table
        bridge = table.bridge_filter
        self.header.summarize(
            table.all_rows,
            len(table.shown_rows),
            table.filter_query,
            bridge[1] if bridge is not None else None,
        )
        empty = self.query_one("#accounts-empty", Static)
        has_rows = bool(table.all_rows)
        table.display = has_rows
        empty.display = not has_rows
        self._place_detail()  # no pane beside an empty list
        if not has_rows and self.feed.loaded:
            ready = [b.display_name for b in self.feed.bridges if why_cant_add(b) is None]
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
        filter being typed redraws the pane once, not per key). The first account is shown at
        once: nothing is being moved over yet, and its login starts loading with the list."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
        row = event.row
        if self.detail.shown_row is None and row is not None:
            self._show_detail(row)
            return
        self._detail_timer = self.set_timer(DETAIL_DELAY, lambda: self._show_detail(row))

    def _show_detail(self, row: AccountRow | None) -> None:
        if self.leaving:
            return
        note = self.table.mark_note(row.key) if row else None
        self.detail.show(row, self.feed.by_id, note)

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
        table = self.table
        if not box.has_class("-open") and not table.filter_query and not table.bridge_filter:
            return
        box.value = ""
        box.remove_class("-open")
        table.set_filter("")
        table.set_bridge(None)
        self._update_summary()
        self.table.focus()

    def action_show_view(self, view: str) -> None:
        """``b``: the bridges view, or back to the accounts."""
        self.views.active = view

    @on(TabbedContent.TabActivated)
    def _view_changed(self) -> None:
        if self.on_bridges_view and self.feed.several:
            self._bridges_target = target = self._current_target()
            self.bridge_table.show_bridges(self.feed.bridges_of(target))
            for hint in self.query("#bridges-hint").results(Static):
                hint.update(f"Bridges of target {target}. {_BRIDGES_HINT}")
        (self.bridge_table if self.on_bridges_view else self.table).focus()
        self.refresh_bindings()

    def action_toggle_details(self) -> None:
        self._details_asked = not self.detail.display
        self._place_detail()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.leaving:
            return False
        if action == "show_view":
            current = "bridges-view" if self.on_bridges_view else "accounts-view"
            return parameters[0] != current
        return not (action in LIST_ACTIONS and self.on_bridges_view)

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
        if self.leaving:
            return
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
        self._details_asked = True
        self._place_detail()
        if not self.table.select(account_id):
            self.action_clear_filter()
            self.table.select(account_id)

    @on(DataTable.RowSelected, "#bridges")
    def _bridge_chosen(self, event: DataTable.RowSelected) -> None:
        bridge = self.bridge_table.bridge_at(event.cursor_row)
        if bridge is not None:
            self.show_bridge_accounts(bridge.id, self._bridges_target)

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
        self.filter_input.value = ""
        self.filter_input.remove_class("-open")
        self.table.set_filter("")
        self.table.set_bridge(key, bridge.display_name)
        self._update_summary()
        self.action_show_view("accounts-view")

    def copy_account_id(self, account_id: str) -> None:
        """``c``: the account ID onto the clipboard (an ID no clipboard can carry, such as
        one holding a lone surrogate, is refused with a word, not a traceback)."""
        account_id = split_key(account_id)[1] if self.feed.several else account_id
        try:
            account_id.encode("utf-8")
        except UnicodeEncodeError:
            self.notify(
                f"Account ID {shown(account_id)} holds a character no clipboard can carry.",
                title="Not copied",
                severity="warning",
                markup=False,
            )
            return
        self.app.copy_to_clipboard(account_id)
        self.notify(f"Copied account ID {clean(account_id)}", title="Copied", markup=False)

    # --- Reconnect and add -------------------------------------------------------------------

    def reconnect_account(self, account_id: str) -> None:
        """Open the login wizard on an account's login (and the bridge's remembered flow)."""
        row = self.feed.row(account_id)
        if row is None:
            self.notify("That account is no longer listed.", severity="warning")
            return
        self.wizards.reconnect(self.app, row)

    def add_account(self, bridge_id: str, target: str | None = None) -> None:
        """Open the login wizard for a new account, unless the bridge can't take one now.
        With several Beeper Desktops it goes to ``target`` (default: the selected account's)."""
        if self.leaving:
            return
        if self.feed.several:
            target = target if target is not None else self._current_target()
            bridge = self._target_feed(target).bridge(bridge_id)
        else:
            bridge = self.feed.bridge(bridge_id)
        why_not = why_cant_add(bridge) if bridge is not None else None
        if bridge is not None and why_not:
            self.notify(
                shown(why_not),
                title=f"Can't add {an_account_of(shown(bridge.display_name, 40))} now",
                severity="warning",
                markup=False,
            )
            return
        self.wizards.add(self.app, bridge_id, self._target_named(target))

    def _target_feed(self, target: str | None) -> AccountsFeed:
        return self.feed.feeds.get(target) or self.feed.first

    def action_add(self) -> None:
        if self.on_bridges_view:
            bridge = self.bridge_table.current_bridge
            if bridge is not None:
                self.add_account(bridge.id, self._bridges_target)
            return
        target = self._current_target()
        bridges = self.feed.bridges_of(target) if self.feed.several else self.feed.bridges
        if not bridges:
            self.notify("No bridges known yet: wait for the list to load.", severity="warning")
            return
        if self.table.bridge_filter is not None:  # the list shows one bridge: add to it
            key = self.table.bridge_filter[0]
            on, bridge_id = split_key(key) if self.feed.several else (None, key)
            self.add_account(bridge_id, on)
            return

        def picked(bridge_id: str | None) -> None:
            if bridge_id:
                self.add_account(bridge_id, target)

        from beeper_tui.tui.accounts.pickers import BridgePickerDialog

        self.app.push_screen(BridgePickerDialog(bridges), picked)

    def _login_ended(self, report: LoginReport) -> None:
        """A wizard opened from here ended: mark the rows, say what happened, refresh."""
        if self.leaving:
            return
        if report.marks:
            self.table.mark(report.marks)
        if report.notice:
            self._say(report.notice)
        self.refresh_now()

    def action_reconnect_all(self) -> None:
        self._reconnect_all()

    @work(exclusive=True, group="batch")
    async def _reconnect_all(self) -> None:
        """``R``: every account that needs attention, one wizard after another; then a
        summary."""
        from beeper_tui.tui.accounts.reconnect_all import ReconnectAllSummaryDialog

        targets = [row for row in self.feed.rows if row.health is Health.ATTENTION]
        if not targets:
            self.notify("No account needs attention.", title="Reconnect all")
            return
        result = await self.wizards.reconnect_each(self.app, targets)
        await self.app.push_screen_wait(ReconnectAllSummaryDialog(result))
        self.refresh_now()

    # --- Remove ------------------------------------------------------------------------------

    def remove_account(self, account_id: str) -> None:
        row = self.feed.row(account_id)
        if row is None:
            self.notify("That account is no longer listed.", severity="warning")
        elif not row.login_id:
            self.notify("This account has no login ID, so it can't be removed here.")
        else:
            self._remove(row)

    @work(exclusive=True, group="remove")
    async def _remove(self, row: AccountRow) -> None:
        from beeper_tui.tui.accounts.remove_login import remove_login

        removed = await remove_login(
            self.target_of(row).client,
            row,
            [listed for listed in self.feed.rows if listed.target == row.target],
            confirm=self.app.push_screen_wait,
            notify=self.notify,
            remember_logins=lambda bridge_id, logins: self.detail.remember(
                row_key(row.target, bridge_id), logins
            ),
        )
        if removed:
            self.refresh_now()

    # --- Command palette ---------------------------------------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        """The screen's commands, in words, for the command palette."""
        several = self.feed.several  # "add" goes to the selected account's target
        bridges = self.feed.bridges_of(self._current_target()) if several else self.feed.bridges
        return accounts_palette(self, bridges, self.table.all_rows)
