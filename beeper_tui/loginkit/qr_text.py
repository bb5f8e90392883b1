"""QR codes as terminal text: each character cell holds a small block of modules.

Three ways to draw, from the largest modules to the smallest (a terminal cell is about twice
as tall as it is wide):

- **half blocks** (``▀▄█``): one module across, two down — square modules;
- **quadrants** (``▘▝▖▗▚▞▛▜▙▟▌▐▀▄█``): two across, two down — modules twice as tall as wide,
  the same height as half blocks in half the width (for a narrow area);
- **sextants** (U+1FB00–1FB3B, with ``▌▐█``): two across, three down — modules a third taller
  than wide, in two thirds of the height: the one drawing that puts a WhatsApp-sized code
  (version 9–10) in a 24-row terminal. Legacy-computing glyphs (Unicode 13): most terminals
  draw them themselves, so this is only the last resort.

Dark modules are the glyph's ink (``FOREGROUND``, black) on an explicit white cell
(``BACKGROUND``). Never rely on the terminal's own colours: on a dark theme the "background"
would be dark and the code inverted, which many phone scanners refuse.

Choices (measured with zxing-cpp on the widget's own cells: ``tests/test_qr_decode.py``):

- Error correction **L** (7%) always. A code on a screen is not torn or smudged, and L is the
  smallest code for the data: a 225-character WhatsApp payload is version 9 (53 modules) at L,
  version 11 (61) at M. Fewer modules are bigger modules in the same space, which a phone
  camera needs more than redundancy.
- Quiet zone **4** modules, as ISO/IEC 18004 asks, when it fits; else **2**; else **1**, the
  smallest a decoder reads (with none, zxing-cpp finds nothing against a dark terminal).
- ``fit_qr`` picks the first of ``RENDERINGS`` that fits: the largest modules first, and for
  each the widest quiet zone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import qrcode
from qrcode.constants import ERROR_CORRECT_L
from qrcode.exceptions import DataOverflowError

FOREGROUND = "#000000"
"""Colour of dark modules (the glyph's ink)."""
BACKGROUND = "#ffffff"
"""Colour of light modules and of the quiet zone (the cell's background)."""
QUIET_ZONE = 4
"""The quiet zone the QR specification asks for, in modules."""
TIGHT_QUIET_ZONE = 2
"""The narrower quiet zone used when the specified one does not fit the terminal."""
SMALLEST_QUIET_ZONE = 1
"""The least quiet zone a decoder still reads; the last resort."""
QUIET_ZONES = (QUIET_ZONE, TIGHT_QUIET_ZONE, SMALLEST_QUIET_ZONE)

UPPER, LOWER, FULL, EMPTY = "▀", "▄", "█", " "

Matrix = tuple[tuple[bool, ...], ...]
Cell = tuple[bool, ...]
"""The modules of one character cell, row by row (left to right in each row)."""


@dataclass(frozen=True, eq=False)
class Glyphs:
    """A way of drawing modules into character cells: ``across`` × ``down`` modules a cell."""

    name: str
    across: int
    down: int
    cells: Mapping[Cell, str]
    """Each arrangement of dark modules in a cell → the character that draws it."""

    def char(self, cell: Cell) -> str:
        return self.cells[cell]


def _quadrant(upper_left: bool, upper_right: bool, lower_left: bool, lower_right: bool) -> str:
    return {
        (False, False, False, False): EMPTY,
        (True, False, False, False): "▘",
        (False, True, False, False): "▝",
        (False, False, True, False): "▖",
        (False, False, False, True): "▗",
        (True, True, False, False): UPPER,
        (False, False, True, True): LOWER,
        (True, False, True, False): "▌",
        (False, True, False, True): "▐",
        (True, False, False, True): "▚",
        (False, True, True, False): "▞",
        (True, True, True, False): "▛",
        (True, True, False, True): "▜",
        (True, False, True, True): "▙",
        (False, True, True, True): "▟",
        (True, True, True, True): FULL,
    }[(upper_left, upper_right, lower_left, lower_right)]


def _sextant(cell: Cell) -> str:
    """Unicode numbers the six parts 1 2 / 3 4 / 5 6 and gives BLOCK SEXTANT-… in binary order
    from U+1FB00, leaving out the four patterns the older block elements already draw."""
    pattern = sum(1 << i for i, dark in enumerate(cell) if dark)
    older = {0: EMPTY, 0b010101: "▌", 0b101010: "▐", 0b111111: FULL}
    if pattern in older:
        return older[pattern]
    skipped = (pattern > 0b010101) + (pattern > 0b101010)
    return chr(0x1FB00 + pattern - 1 - skipped)


HALF_BLOCKS = Glyphs(
    "half blocks",
    1,
    2,
    {(True, True): FULL, (True, False): UPPER, (False, True): LOWER, (False, False): EMPTY},
)
QUADRANTS = Glyphs(
    "quadrants", 2, 2, {cell: _quadrant(*cell) for cell in product((False, True), repeat=4)}
)
SEXTANTS = Glyphs(
    "sextants", 2, 3, {cell: _sextant(cell) for cell in product((False, True), repeat=6)}
)
GLYPHS = (HALF_BLOCKS, QUADRANTS, SEXTANTS)
"""The ways to draw, largest modules first."""

RENDERINGS: tuple[tuple[Glyphs, int], ...] = tuple(
    (glyphs, quiet_zone) for glyphs in GLYPHS for quiet_zone in QUIET_ZONES
)
"""Every (glyphs, quiet zone) the widget can choose, in the order ``fit_qr`` tries them."""


class QRDataTooLong(ValueError):
    """The data does not fit in the largest QR code (version 40)."""


@lru_cache(maxsize=16)
def qr_matrix(data: str) -> Matrix:
    """The code's modules for ``data`` without a quiet zone; True is a dark module.

    Cached: building a code costs tens of milliseconds, a redraw must not.
    """
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_L, border=0)
    code.add_data(data)
    try:
        code.make(fit=True)
    except (DataOverflowError, ValueError) as err:  # qrcode raises either when too long
        raise QRDataTooLong(f"{len(data)} characters are too many for one QR code") from err
    return tuple(tuple(bool(module) for module in row) for row in code.get_matrix())


def with_quiet_zone(matrix: Matrix, quiet_zone: int) -> Matrix:
    """``matrix`` surrounded by ``quiet_zone`` light modules on every side."""
    side = len(matrix) + 2 * quiet_zone
    blank_row = (False,) * side
    margin = (False,) * quiet_zone
    body = tuple(margin + row + margin for row in matrix)
    return (blank_row,) * quiet_zone + body + (blank_row,) * quiet_zone


def draw(matrix: Matrix, glyphs: Glyphs = HALF_BLOCKS) -> tuple[str, ...]:
    """Lines of ``glyphs`` characters, each cell holding ``across`` × ``down`` modules.

    A side that does not divide evenly is padded with light modules on the right and at the
    bottom (more quiet zone, never less).
    """
    if not matrix:
        return ()
    side = len(matrix[0])
    cols = -(-side // glyphs.across)
    rows = -(-len(matrix) // glyphs.down)
    light = (False,) * (cols * glyphs.across - side)
    padded = [row + light for row in matrix]
    padded += [(False,) * (cols * glyphs.across)] * (rows * glyphs.down - len(matrix))
    lines = []
    for top in range(0, len(padded), glyphs.down):
        band = padded[top : top + glyphs.down]
        lines.append(
            "".join(
                glyphs.char(tuple(m for row in band for m in row[x : x + glyphs.across]))
                for x in range(0, cols * glyphs.across, glyphs.across)
            )
        )
    return tuple(lines)


def cells_to_matrix(lines: Sequence[str], glyphs: Glyphs = HALF_BLOCKS) -> list[list[bool]]:
    """Decode drawn lines back to modules: the inverse of ``draw``, used by tests to prove the
    drawing holds the code (padding modules included)."""
    by_char = {char: cell for cell, char in glyphs.cells.items()}
    matrix: list[list[bool]] = []
    for line in lines:
        cells = [by_char[char] for char in line]
        for down in range(glyphs.down):
            start = down * glyphs.across
            matrix.append([m for cell in cells for m in cell[start : start + glyphs.across]])
    return matrix


@dataclass(frozen=True)
class QRText:
    """A QR code drawn as lines of block characters, shown ``FOREGROUND`` on ``BACKGROUND``."""

    lines: tuple[str, ...]
    modules: int
    """Modules per side, quiet zone included."""
    quiet_zone: int
    glyphs: Glyphs = HALF_BLOCKS

    @property
    def cols(self) -> int:
        """Character cells across."""
        return -(-self.modules // self.glyphs.across)

    @property
    def rows(self) -> int:
        """Character cells down."""
        return len(self.lines)

    @property
    def size(self) -> tuple[int, int]:
        """(cols, rows) this drawing needs."""
        return self.cols, self.rows

    def fits(self, width: int, height: int) -> bool:
        """True when the whole drawing fits in ``width`` × ``height`` cells."""
        return self.cols <= width and self.rows <= height


@lru_cache(maxsize=64)
def render_qr(data: str, quiet_zone: int = QUIET_ZONE, glyphs: Glyphs = HALF_BLOCKS) -> QRText:
    """The QR code for ``data`` drawn with ``glyphs`` and a ``quiet_zone`` of light modules.

    Raises QRDataTooLong when the data cannot be one QR code.
    """
    matrix = with_quiet_zone(qr_matrix(data), quiet_zone)
    return QRText(
        lines=draw(matrix, glyphs), modules=len(matrix), quiet_zone=quiet_zone, glyphs=glyphs
    )


def drawn_size(data: str, quiet_zone: int, glyphs: Glyphs) -> tuple[int, int]:
    """(cols, rows) the drawing of ``data`` would need, without drawing it."""
    side = len(qr_matrix(data)) + 2 * quiet_zone
    return -(-side // glyphs.across), -(-side // glyphs.down)


def fit_qr(data: str, width: int, height: int) -> tuple[QRText, bool]:
    """The drawing to show in ``width`` × ``height`` cells, and whether it fits.

    The first of ``RENDERINGS`` that fits (largest modules, then widest quiet zone); when none
    does, the smallest drawing there is with False, so the caller can say what size it needs.
    Only the drawing returned is built.
    """
    for glyphs, quiet_zone in RENDERINGS:
        cols, rows = drawn_size(data, quiet_zone, glyphs)
        if cols <= width and rows <= height:
            return render_qr(data, quiet_zone, glyphs), True
    return render_qr(data, quiet_zone, glyphs), False
