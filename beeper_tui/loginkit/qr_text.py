"""QR codes as terminal text: one character cell holds two modules, one above the other.

A cell is drawn with half blocks — ``▀`` (top dark), ``▄`` (bottom dark), ``█`` (both), space
(neither) — in black on an explicit white background. Never rely on the terminal's own
colours: on a dark theme the "background" would be dark and the code inverted, which many
phone scanners refuse. The widget turns ``QRText.lines`` into styled text with ``FOREGROUND``
on ``BACKGROUND``.

Choices:

- Error correction **L** (7%). A code on a screen is not torn or smudged, and L is the smallest
  code for the data: a 255-character payload is version 10 (57 modules) at L against version 12
  (65) at M — four terminal rows fewer, often the difference between fitting and not.
- Quiet zone **4** modules, as ISO/IEC 18004 asks, when it fits; else **2**, which phone
  scanners (WhatsApp's included) read reliably on a screen. ``fit_qr`` picks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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

UPPER, LOWER, FULL, EMPTY = "▀", "▄", "█", " "
_CELL = {(True, True): FULL, (True, False): UPPER, (False, True): LOWER, (False, False): EMPTY}

Matrix = tuple[tuple[bool, ...], ...]


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


def half_blocks(matrix: Matrix) -> tuple[str, ...]:
    """Lines of half-block characters, each line holding two rows of ``matrix``.

    An odd last row is paired with a light row (more quiet zone, never less).
    """
    rows = list(matrix)
    if len(rows) % 2:
        rows.append((False,) * len(rows[0]) if rows else ())
    return tuple(
        "".join(_CELL[pair] for pair in zip(top, bottom, strict=True))
        for top, bottom in zip(rows[0::2], rows[1::2], strict=True)
    )


def cells_to_matrix(lines: tuple[str, ...] | list[str]) -> list[list[bool]]:
    """Decode half-block lines back to modules (two rows per line): the inverse of
    ``half_blocks``, used by tests to prove the drawing holds the code."""
    matrix: list[list[bool]] = []
    for line in lines:
        matrix.append([cell in (FULL, UPPER) for cell in line])
        matrix.append([cell in (FULL, LOWER) for cell in line])
    return matrix


@dataclass(frozen=True)
class QRText:
    """A QR code drawn as lines of half blocks, to be shown ``FOREGROUND`` on ``BACKGROUND``."""

    lines: tuple[str, ...]
    modules: int
    """Modules per side, quiet zone included."""
    quiet_zone: int

    @property
    def cols(self) -> int:
        """Character cells across."""
        return self.modules

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


@lru_cache(maxsize=32)
def render_qr(data: str, quiet_zone: int = QUIET_ZONE) -> QRText:
    """The QR code for ``data`` as half-block lines with a ``quiet_zone`` of light modules.

    Raises QRDataTooLong when the data cannot be one QR code.
    """
    matrix = with_quiet_zone(qr_matrix(data), quiet_zone)
    return QRText(lines=half_blocks(matrix), modules=len(matrix), quiet_zone=quiet_zone)


def fit_qr(data: str, width: int, height: int) -> tuple[QRText, bool]:
    """The drawing to show in ``width`` × ``height`` cells, and whether it fits.

    The specified quiet zone when it fits, else the tight one; when neither fits, the tight
    drawing (the smallest there is) with False, so the caller can say what size it needs.
    """
    for quiet_zone in (QUIET_ZONE, TIGHT_QUIET_ZONE):
        drawing = render_qr(data, quiet_zone)
        if drawing.fits(width, height):
            return drawing, True
    return drawing, False
