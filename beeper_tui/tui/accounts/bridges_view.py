"""``BridgesView``: what the bridges tab (``b``) holds — a hint and the bridges table — and
whose bridges it lists.

The tab is empty until it is first shown (:meth:`BridgesView.build`, with the bridges known by
then): someone who never opens it never pays for the table widget (its module and styles were
~0.35 MiB of the accounts screen's start, ``benchmarks/launch.py``); opening it the first time
takes a few milliseconds more. With several Beeper Desktops the view lists one target's
bridges: the selected account's, chosen each time the tab is opened.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.containers import Container
from textual.widgets import Static

from beeper_tui.api.models import Bridge

if TYPE_CHECKING:
    from beeper_tui.tui.accounts.bridge_table import BridgeTable

#: What the bridges view says above its table.
BRIDGES_HINT = "⏎ shows the bridge's accounts (adds one where it has none) · a adds one"


@dataclass(kw_only=True, eq=False)
class BridgesView:
    """The bridges tab's contents, built once, and the target whose bridges it lists."""

    pane: Container
    """The tab the hint and the table are mounted in."""
    bridges: Callable[[], Sequence[Bridge]]
    """The bridges it lists when built (the first target's)."""
    target: str | None
    """Whose bridges it lists (with several Beeper Desktops)."""
    built: Callable[[BridgeTable], None]
    """Hears of the table when it is mounted."""
    _table: BridgeTable | None = field(default=None, init=False)
    _hint: Static | None = field(default=None, init=False)

    def build(self) -> BridgeTable:
        """The bridges table, with the hint above it mounted first, unless done already."""
        if self._table is None:
            from beeper_tui.tui.accounts.bridge_table import BridgeTable

            self._table = BridgeTable(id="bridges")
            self._table.show_bridges(self.bridges())
            self._hint = Static(BRIDGES_HINT, id="bridges-hint")
            self.pane.mount(self._hint, self._table)
            self.built(self._table)
        return self._table

    def take(self, bridges: Sequence[Bridge], target: str | None, several: bool) -> None:
        """A refresh's bridges (of ``target``, with several): listed when they are the listed
        target's; before the table is built there is nothing to redraw (it takes them then)."""
        if self._table is not None and (not several or target == self.target):
            self._table.show_bridges(bridges)

    def list_target(self, target: str | None, bridges: Sequence[Bridge]) -> None:
        """With several Beeper Desktops: list ``target``'s bridges, and say whose they are."""
        self.target = target
        self.build().show_bridges(bridges)
        if self._hint is not None:
            self._hint.update(f"Bridges of target {target}. {BRIDGES_HINT}")
