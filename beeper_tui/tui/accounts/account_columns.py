"""The accounts list's columns, as a list of specs, and how a width is shared among them.

Each column says what it shows for an account and how wide it would like to be; one function,
:func:`column_widths`, turns a list's width into a width per column. Status — the column that
says *why* an account is broken — comes first when space is short, and takes every cell left
over on a wide screen. A column marked ``optional`` (Runs, also in the detail pane) is left out
until Status is comfortable. Adding a column means adding one spec to :data:`COLUMNS`.

No textual here: the layout is plain arithmetic a test can call at any width.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from beeper_tui.tui.accounts.account_rows import AccountRow, health_label

#: Cells between two columns.
GAP = 1
#: The mark gutter (``●`` on a row that changed lately) and its gap.
GUTTER = 1 + GAP


@dataclass(frozen=True)
class Column:
    """One column of the accounts list."""

    key: str
    heading: str
    value: Callable[[AccountRow], str]
    #: The narrowest it may be drawn.
    least: int
    #: What it gets once Status has its ``ideal``.
    ideal: int
    #: What it may grow to once Status is roomy (``ROOMY`` cells); ``ideal`` when unset.
    most: int = 0
    #: True for the one column that takes whatever is left (Status).
    grows: bool = False
    #: What the growing column gets before an optional column is let in.
    comfortable: int = 0
    #: True for a column left out when it does not fit beside the others at their ideal.
    optional: bool = False
    #: Cut at a word end (prose) rather than at any character (names).
    words: bool = False

    @property
    def widest(self) -> int:
        return max(self.most, self.ideal)


#: Status is roomy from this width on: columns may then grow to their ``most``.
ROOMY = 60

COLUMNS: tuple[Column, ...] = (
    Column("health", "Health", lambda row: health_label(row.health), least=17, ideal=17),
    Column("network", "Network", lambda row: row.network, least=10, ideal=15, most=18),
    Column("person", "Person", lambda row: row.person, least=12, ideal=22, most=30),
    Column(
        "status",
        "Status",
        lambda row: row.status_text or row.status.replace("_", " "),
        least=12,
        ideal=28,
        grows=True,
        comfortable=40,
        words=True,
    ),
    Column("runs", "Runs", lambda row: row.runs, least=11, ideal=11, optional=True),
)


#: With several Beeper Desktops: which one the account is on, after Health.
TARGET = Column("target", "Target", lambda row: row.target or "", least=8, ideal=10, most=16)


def with_target(columns: Sequence[Column]) -> tuple[Column, ...]:
    """``columns`` with the Target column after Health (once)."""
    if any(column.key == TARGET.key for column in columns):
        return tuple(columns)
    at = next((i + 1 for i, c in enumerate(columns) if c.key == "health"), 0)
    return (*columns[:at], TARGET, *columns[at:])


def column_widths(width: int, columns: Sequence[Column] = COLUMNS) -> list[int]:
    """Each column's width for a list ``width`` cells wide (after the mark gutter); 0 for a
    column left out. Every column first gets its ``least``; then Status its ``ideal``; then
    the others theirs, in order; then Status up to ``comfortable``; then the optional
    columns, where they fit; then, once Status is roomy, the others up to their ``most``;
    Status takes the rest."""
    left = width - GUTTER
    widths = [0 if c.optional else c.least for c in columns]
    left -= sum(w + GAP for w in widths if w)
    grower = next((i for i, c in enumerate(columns) if c.grows), None)

    def give(index: int, up_to: int) -> None:
        nonlocal left
        more = max(min(up_to - widths[index], left), 0)
        widths[index] += more
        left -= more

    if grower is not None:
        give(grower, columns[grower].ideal)
    for index, column in enumerate(columns):
        if not column.optional and not column.grows:
            give(index, column.ideal)
    if grower is not None:
        give(grower, columns[grower].comfortable)
    for index, column in enumerate(columns):
        if column.optional and left >= column.ideal + GAP:
            widths[index] = column.ideal
            left -= column.ideal + GAP
    if grower is not None:
        spare = min(widths[grower] + left - ROOMY, left)  # what keeps Status roomy
        for index, column in enumerate(columns):
            if spare > 0 and widths[index] and not column.grows:
                more = max(min(column.widest - widths[index], spare), 0)
                widths[index] += more
                left -= more
                spare -= more
        widths[grower] += max(left, 0)
    return widths


def shown_columns(width: int, columns: Sequence[Column] = COLUMNS) -> list[tuple[Column, int]]:
    """The columns drawn at ``width``, each with its width (left-out columns dropped)."""
    return [(c, w) for c, w in zip(columns, column_widths(width, columns), strict=True) if w]
