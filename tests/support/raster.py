"""Draw a widget's rendered cells as a terminal would — each cell twice as tall as it is wide,
each block glyph's parts in its foreground colour and the rest in its background — and read
the picture with a real QR decoder (zxing-cpp).

Which parts of a cell a glyph inks is taken from the glyph's Unicode name (``UPPER HALF BLOCK``,
``QUADRANT UPPER LEFT AND LOWER RIGHT``, ``BLOCK SEXTANT-1246``…), not from the app's own table,
so a wrong character in the app draws a wrong picture here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import zxingcpp
from rich.color import Color
from rich.segment import Segment
from textual.geometry import Region
from textual.widget import Widget

Box = tuple[float, float, float, float]
"""(left, top, right, bottom) of an inked part, as fractions of the cell."""

CELL = (4, 8)
"""Pixels of a cell (width, height): a terminal cell is about twice as tall as wide."""
SURROUND = (24, 24, 24)
"""What is drawn around the widget: a dark terminal (the hardest case for a quiet zone)."""

_HALVES: dict[str, Box] = {
    "UPPER": (0, 0, 1, 0.5),
    "LOWER": (0, 0.5, 1, 1),
    "LEFT": (0, 0, 0.5, 1),
    "RIGHT": (0.5, 0, 1, 1),
}
_QUARTERS: dict[str, Box] = {
    "UPPER LEFT": (0, 0, 0.5, 0.5),
    "UPPER RIGHT": (0.5, 0, 1, 0.5),
    "LOWER LEFT": (0, 0.5, 0.5, 1),
    "LOWER RIGHT": (0.5, 0.5, 1, 1),
}


@lru_cache(maxsize=512)
def inked_parts(char: str) -> tuple[Box, ...]:
    """The parts of the cell ``char`` draws in its foreground colour, from its Unicode name."""
    if char == " ":
        return ()
    name = unicodedata.name(char)
    if name == "FULL BLOCK":
        return ((0, 0, 1, 1),)
    if match := re.fullmatch(r"(UPPER|LOWER|LEFT|RIGHT) HALF BLOCK", name):
        return (_HALVES[match[1]],)
    if name.startswith("QUADRANT "):
        return tuple(_QUARTERS[part] for part in name.removeprefix("QUADRANT ").split(" AND "))
    if match := re.fullmatch(r"BLOCK SEXTANT-([1-6]+)", name):
        boxes = []
        for digit in match[1]:
            index = int(digit) - 1
            col, row = index % 2, index // 2
            boxes.append((col / 2, row / 3, (col + 1) / 2, (row + 1) / 3))
        return tuple(boxes)
    raise AssertionError(f"the QR code holds a character a terminal would not draw: {name}")


def _rgb(color: Color | None, default: tuple[int, int, int]) -> tuple[int, int, int]:
    if color is None or color.is_default:
        return default
    triplet = color.get_truecolor()
    return triplet.red, triplet.green, triplet.blue


def rendered_lines(widget: Widget) -> list[list[Segment]]:
    """The widget's cells as the app renders them now: one list of segments a line."""
    width, height = widget.size
    return [list(strip) for strip in widget.render_lines(Region(0, 0, width, height))]


def raster(
    lines: Iterable[Iterable[Segment]],
    cell: tuple[int, int] = CELL,
    margin: int = 2,
) -> np.ndarray:
    """The cells as a grey picture, ``margin`` cells of dark terminal around them."""
    width_px, height_px = cell
    rows = [list(line) for line in lines]
    cols = max(sum(len(seg.text) for seg in row) for row in rows)
    grey = np.full(
        ((len(rows) + 2 * margin) * height_px, (cols + 2 * margin) * width_px),
        _luma(SURROUND),
        dtype=np.uint8,
    )
    xs = [round(f * width_px) for f in (0, 0.5, 1)]
    ys = {f: round(f * height_px) for f in (0, 1 / 3, 0.5, 2 / 3, 1)}
    for y, row in enumerate(rows):
        x = 0
        top = (y + margin) * height_px
        for segment in row:
            style = segment.style
            ink = _rgb(style.color if style else None, (255, 255, 255))
            paper = _rgb(style.bgcolor if style else None, SURROUND)
            if style is not None and style.reverse:
                ink, paper = paper, ink
            for char in segment.text:
                left = (x + margin) * width_px
                grey[top : top + height_px, left : left + width_px] = _luma(paper)
                for x0, y0, x1, y1 in inked_parts(char):
                    grey[
                        top + ys[_snap(y0)] : top + ys[_snap(y1)],
                        left + xs[round(x0 * 2)] : left + xs[round(x1 * 2)],
                    ] = _luma(ink)
                x += 1
    return grey


def _snap(fraction: float) -> float:
    return min((0, 1 / 3, 0.5, 2 / 3, 1), key=lambda f: abs(f - fraction))


def _luma(rgb: tuple[int, int, int]) -> int:
    red, green, blue = rgb
    return round(0.299 * red + 0.587 * green + 0.114 * blue)


def decode(picture: np.ndarray) -> list[str]:
    """What zxing-cpp reads in the picture: the text of every QR code it finds."""
    found = zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.text for code in found if code.valid]


def modules_seen(lines: Iterable[Iterable[Segment]], across: int, down: int) -> list[list[bool]]:
    """What a terminal shows at the centre of each module when each cell holds ``across`` ×
    ``down`` of them: True where that point is dark."""
    seen: list[list[bool]] = []
    for line in lines:
        band: list[list[bool]] = [[] for _ in range(down)]
        for segment in line:
            style = segment.style
            ink = _rgb(style.color if style else None, (255, 255, 255))
            paper = _rgb(style.bgcolor if style else None, SURROUND)
            for char in segment.text:
                parts = inked_parts(char)
                for row in range(down):
                    for col in range(across):
                        x, y = (col + 0.5) / across, (row + 0.5) / down
                        inked = any(x0 <= x < x1 and y0 <= y < y1 for x0, y0, x1, y1 in parts)
                        band[row].append(_luma(ink if inked else paper) < 128)
        seen.extend(band)
    return seen
