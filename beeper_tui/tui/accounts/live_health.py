"""``LiveHealth``: the part of ``AccountsScreen`` that keeps the list live.

One ``GET /v1/bridges`` per refresh fills the list, the bridges view and the header. The poll
runs in a worker; when Beeper Desktop goes away the last data stays, marked stale, and the poll
backs off until it answers again. Accounts whose status changed are marked in the list, and
those that broke are named in a notification.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from typing import TYPE_CHECKING

from textual import work

from beeper_tui.api.errors import BeeperError
from beeper_tui.api.models import Bridge
from beeper_tui.text import shown
from beeper_tui.tui.accounts.account_rows import AccountRow, rows_from_bridges, status_changes

if TYPE_CHECKING:
    from beeper_tui.tui.accounts.screen import AccountsScreenPart
else:  # a plain mixin at run time; its @on handlers stay on the screen itself
    AccountsScreenPart = object

#: Longest pause between retries while Beeper Desktop is away.
MAX_BACKOFF = 60.0
#: Accounts needing attention named one by one in notifications; more get one summary.
NOTIFY_EACH = 3


class LiveHealth(AccountsScreenPart):
    """Polls Beeper Desktop for the accounts screen and draws each answer (a mixin of
    ``AccountsScreen``)."""

    def __init__(self) -> None:
        super().__init__()
        self._bridges: list[Bridge] = []
        self._rows: dict[str, AccountRow] = {}
        self._failures = 0
        self._loaded = False
        self._info_version: str | None = None
        self._wake = asyncio.Event()

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
            early = self.app.take_first_bridges()  # type: ignore[attr-defined]
            bridges = await (early or self.client.bridges())
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
        first_load = not self._loaded
        changes = [] if first_load else status_changes(self.table.all_rows, rows)
        self._bridges, self._rows = bridges, {row.account_id: row for row in rows}
        self.detail.new_cycle()
        self._loaded = True
        if first_load:
            # What start-up built (modules, styles, the first accounts) lives as long as the
            # app: keep it out of the cyclic collector's passes. With 2 000 accounts the
            # worst pause while typing drops by about 40% (benchmarks/filter.py, worst paced
            # keypress 45-80 ms instead of 80-119 ms). Objects are still freed by refcount.
            gc.freeze()
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
                f"{shown(row.title, 80)}: {shown(row.status_text or row.status)}",
                title="Needs attention",
                severity="warning",
                markup=False,
            )
        if self.app.bell_on_breakage:  # type: ignore[attr-defined]
            self.app.bell()

    def _tick(self) -> None:
        """Every second: "updated N s ago" moves on, and old marks fade."""
        self.header.tick()
        self.table.expire_marks()
