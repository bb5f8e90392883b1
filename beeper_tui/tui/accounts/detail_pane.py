"""``DetailPane``: the accounts screen's handle on its detail pane (the
:class:`~beeper_tui.tui.accounts.account_detail.AccountDetail` widget) — where it goes,
whether it shows, and when it follows the cursor.

Beside the list on a wide screen, below it on a tall one, hidden (until ``i``) on a small one
— so the list keeps the width its Status column needs (the sizes: ``detail_place``). What
``i`` or the Enter menu asked for stands until asked again; beside an empty list there is no
pane. The pane shows the account the cursor rests on once it rests there a moment, so that a
held j/k or a filter being typed redraws it once, not per key.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Size
from textual.timer import Timer
from textual.widget import Widget

from beeper_tui.tui.accounts.account_detail import detail_place
from beeper_tui.tui.accounts.account_rows import AccountRow

#: Seconds the cursor rests on an account before its details are drawn.
DETAIL_DELAY = 0.05


class DetailPane:
    """The detail pane's place, whether the person asked for it, and the account it shows."""

    def __init__(
        self,
        *,
        show: Callable[[AccountRow | None], None],
        set_timer: Callable[[float, Callable[[], None]], Timer],
    ) -> None:
        """``show(row)`` draws an account's details; ``set_timer`` is the screen's (its
        timers end with it)."""
        self.asked: bool | None = None
        """``i`` (or the Enter menu) showed or hid the detail pane; None: as the size says."""
        self._show = show
        self._set_timer = set_timer
        self._timer: Timer | None = None

    def place(self, size: Size, *, list_shown: bool, body: Widget, pane: Widget) -> None:
        """Place ``pane`` in ``body`` (the list and the pane) on a screen of ``size``."""
        place = detail_place(size.width, size.height)
        asked = self.asked
        shown = (asked if asked is not None else place != "hidden") and list_shown
        below = place != "side"
        body.set_class(below and shown, "-below")
        pane.set_class(below, "-below")
        pane.display = shown

    def cursor_moved(self, row: AccountRow | None, *, showing: bool) -> None:
        """The cursor is on ``row`` now: show it once the cursor rests there. While the
        pane is ``showing`` no account yet, ``row`` is shown at once: nothing is being moved
        over yet, and its login starts loading with the list."""
        if self._timer is not None:
            self._timer.stop()
        if not showing and row is not None:
            self._show(row)
            return
        self._timer = self._set_timer(DETAIL_DELAY, lambda: self._show(row))
