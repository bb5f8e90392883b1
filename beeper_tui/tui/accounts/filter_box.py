"""``FilterBox``: the one-line input of ``/`` that filters the accounts as you type.

A Textual ``Input`` re-lays out the whole screen on every keystroke (its virtual size is a
layout reactive). The filter box has a fixed size, so it only repaints itself: half the work
of a keystroke over a 2 000-account list.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class FilterBox(Input):
    """An ``Input`` of fixed size whose typing never triggers a screen layout."""

    BINDINGS = [
        Binding("enter", "submit", "Keep filter", tooltip="Back to the list, filter kept"),
        Binding("escape", "screen.clear_filter", "Clear filter", tooltip="Clear and close"),
    ]

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
