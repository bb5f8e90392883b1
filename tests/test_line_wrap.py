"""How ``status`` wraps a line on a terminal: at spaces, continuation rows under the text they
continue, an ID whole whenever a row can hold it, widths in terminal cells."""

from __future__ import annotations

from beeper_tui.line_wrap import FALLBACK, NARROWEST, wrap
from beeper_tui.text import cell_width


def test_a_line_that_fits_is_left_as_it_is() -> None:
    assert wrap("  ✔ ok  ", "Alice   connected", 40) == ["  ✔ ok  Alice   connected"]


def test_continuation_rows_hang_under_the_body() -> None:
    rows = wrap("Lead: ", "one two three four five six seven eight nine ten eleven", 40)
    assert rows == [
        "Lead: one two three four five six seven",
        "      eight nine ten eleven",
    ]


def test_an_id_too_long_for_the_hang_moves_left_whole_and_only_a_longer_one_is_cut() -> None:
    long_id = "x" * 44  # 43 cells after the hang, 46 after the fallback
    rows = wrap("Name  (", f"{long_id} · cloud)", 50)
    assert rows == ["Name  (", " " * FALLBACK + long_id + " ·", "       cloud)"]
    wider = "y" * 60  # wider than any row: cut where the row ends, and nothing lost
    rows = wrap("Name  (", f"{wider} · cloud)", 50)
    assert rows == ["Name  (", " " * 7 + "y" * 43, " " * 7 + "y" * 17 + " · cloud)"]


def test_widths_are_terminal_cells() -> None:
    body = " ".join(["日本語の"] * 10)  # 8 cells a word
    rows = wrap("  ", body, 40)
    assert [cell_width(row) for row in rows] == [37, 37, 19]
    assert " ".join(row.strip() for row in rows) == body


def test_a_very_narrow_terminal_is_wrapped_as_the_narrowest_it_serves() -> None:
    rows = wrap("  ✖ needs attention  ", "a b c d e f g h i j k l m n o p q", 10)
    assert max(cell_width(row) for row in rows) <= NARROWEST
    assert rows[1].startswith(" " * 21)  # 19 cells of room: still under the text
