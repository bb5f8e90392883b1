"""Word wrapping for plain terminal output (``status`` on a terminal), measured in cells.

A line is a ``lead`` that stays whole on the first row (a glyph, a column) and a ``body`` that
wraps at spaces; every continuation row starts at the column the body started at (or a given
``hang``), so it reads as the text it continues. A word too long for the rest of a row (a long
ID, an address) moves to the next row whole, starting further left when it needs to; it is cut
only when it is wider than even that. Widths come
from :func:`beeper_tui.text.cell_width`: the text is clean already (:mod:`beeper_tui.text`),
this only arranges it. Headless: no textual import.
"""

from __future__ import annotations

import re

from beeper_tui.text import cell_width

#: Narrowest row wrapped for: a narrower terminal gets rows of this width (and wraps them).
NARROWEST = 40
#: Fewest cells a continuation row gives the text; a deeper hang falls back to :data:`FALLBACK`.
MIN_ROOM = 16
FALLBACK = 4

_WORD = re.compile(r"\S+\s*|\s+")


def wrap(lead: str, body: str, width: int, *, hang: int | None = None) -> list[str]:
    """``lead + body`` as rows of at most ``width`` cells (at least :data:`NARROWEST`),
    ``body`` broken at spaces, continuation rows indented ``hang`` cells (default: under the
    start of ``body``). A line that fits is returned as it is."""
    width = max(width, NARROWEST)
    if cell_width(lead + body) <= width:
        return [lead + body]
    indent = cell_width(lead) if hang is None else hang
    if width - indent < MIN_ROOM:
        indent = FALLBACK
    rows: list[str] = []
    row, used = lead, cell_width(lead)
    for token in _WORD.findall(body):
        word, space = token.rstrip(), token[len(token.rstrip()) :]
        need = cell_width(word)
        if row.strip() and used + need > width:  # start a continuation row for this word
            rows.append(row.rstrip())
            # A word too wide for the hang but not for a shallower one (an ID) stays whole.
            shallow = need > width - indent and need <= width - FALLBACK
            row = " " * (FALLBACK if shallow else indent)
            used = len(row)
        while used + need > width:  # wider than a whole row: cut it (only then)
            head = _fits(word, width - used)
            rows.append(row + head)
            word = word[len(head) :]
            need = cell_width(word)
            row, used = " " * indent, indent
        row += word + space
        used += need + len(space)
    rows.append(row.rstrip())
    return rows


def _fits(word: str, cells: int) -> str:
    """The longest start of ``word`` that takes at most ``cells`` cells (at least one
    character, so a cut always makes progress)."""
    used = 0
    for index, char in enumerate(word):
        used += cell_width(char)
        if used > cells:
            return word[: max(index, 1)]
    return word
