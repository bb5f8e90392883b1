"""The QR code drawn in half blocks, quadrants or sextants holds exactly the code qrcode builds
for the data, and ``fit_qr`` picks the largest drawing that fits."""

from __future__ import annotations

import subprocess
import sys

import pytest
import qrcode
from qrcode.constants import ERROR_CORRECT_L

from beeper_tui.loginkit.qr_text import (
    BACKGROUND,
    FOREGROUND,
    GLYPHS,
    HALF_BLOCKS,
    QUADRANTS,
    QUIET_ZONE,
    QUIET_ZONES,
    RENDERINGS,
    SEXTANTS,
    SMALLEST_QUIET_ZONE,
    TIGHT_QUIET_ZONE,
    Glyphs,
    QRDataTooLong,
    cells_to_matrix,
    drawn_size,
    fit_qr,
    render_qr,
)

PAYLOADS = [
    "hello",
    "2@" + "A1b2C3d4+/" * 25 + "xyz",  # 255 characters, like a WhatsApp code
    "https://example.com/login?token=été-🦄",
]


def qrcode_matrix(data: str, border: int) -> list[list[bool]]:
    """qrcode's own matrix for the data, quiet zone included (the reference)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_L, border=border)
    code.add_data(data)
    code.make(fit=True)
    return [[bool(module) for module in row] for row in code.get_matrix()]


def decoded(data: str, quiet_zone: int, glyphs: Glyphs = HALF_BLOCKS) -> list[list[bool]]:
    """The modules read back from the drawn cells (dropping the light padding that rounds the
    side up to whole cells — asserted light here)."""
    drawing = render_qr(data, quiet_zone, glyphs)
    cells = cells_to_matrix(drawing.lines, glyphs)
    side = drawing.modules
    assert not any(m for row in cells[side:] for m in row)
    assert not any(m for row in cells for m in row[side:])
    return [row[:side] for row in cells[:side]]


@pytest.mark.parametrize("data", PAYLOADS)
@pytest.mark.parametrize("quiet_zone", QUIET_ZONES)
@pytest.mark.parametrize("glyphs", GLYPHS, ids=lambda g: g.name)
def test_drawn_cells_decode_to_qrcodes_matrix_for_the_data(
    data: str, quiet_zone: int, glyphs: Glyphs
) -> None:
    assert decoded(data, quiet_zone, glyphs) == qrcode_matrix(data, quiet_zone)


@pytest.mark.parametrize("glyphs", GLYPHS, ids=lambda g: g.name)
def test_every_arrangement_of_a_cell_has_its_own_character(glyphs: Glyphs) -> None:
    assert len(glyphs.cells) == 2 ** (glyphs.across * glyphs.down)
    assert len(set(glyphs.cells.values())) == len(glyphs.cells)


def test_cells_hold_one_two_or_three_rows_and_columns_of_modules() -> None:
    data = PAYLOADS[1]  # 57 modules: 61 with a quiet zone of 2
    assert render_qr(data, 2, HALF_BLOCKS).size == (61, 31)
    assert render_qr(data, 2, QUADRANTS).size == (31, 31)
    assert render_qr(data, 2, SEXTANTS).size == (31, 21)
    sextants = "".join(render_qr(data, 2, SEXTANTS).lines)
    assert any(0x1FB00 <= ord(ch) <= 0x1FB3B for ch in sextants)
    assert set("".join(render_qr(data, 2, QUADRANTS).lines)) <= set(" ▘▝▖▗▚▞▛▜▙▟▌▐▀▄█")


def test_different_data_draws_a_different_code() -> None:
    assert render_qr("code one").lines != render_qr("code two").lines


def test_255_character_payload_is_a_version_10_code() -> None:
    drawing = render_qr(PAYLOADS[1], QUIET_ZONE)
    assert drawing.modules == 57 + 2 * QUIET_ZONE  # version 10 at error correction L
    assert drawing.size == (65, 33)  # two modules per cell vertically


def test_each_cell_holds_two_modules_in_half_blocks() -> None:
    drawing = render_qr(PAYLOADS[0])
    assert drawing.rows == (drawing.modules + 1) // 2
    assert all(len(line) == drawing.modules for line in drawing.lines)
    assert set("".join(drawing.lines)) <= {"▀", "▄", "█", " "}


@pytest.mark.parametrize("quiet_zone", [QUIET_ZONE, TIGHT_QUIET_ZONE])
def test_quiet_zone_is_light_on_every_side(quiet_zone: int) -> None:
    modules = decoded(PAYLOADS[1], quiet_zone)
    side = len(modules)
    edge = range(quiet_zone)
    for row in edge:
        assert not any(modules[row]) and not any(modules[side - 1 - row])
    for line in modules:
        assert not any(line[:quiet_zone]) and not any(line[side - quiet_zone :])
    # ... and the code starts right inside it (the finder pattern's dark corner).
    assert modules[quiet_zone][quiet_zone]


def test_finder_patterns_sit_in_three_corners() -> None:
    modules = decoded(PAYLOADS[1], QUIET_ZONE)
    size = len(modules) - 2 * QUIET_ZONE

    def finder_at(top: int, left: int) -> bool:
        block = [row[left : left + 7] for row in modules[top : top + 7]]
        ring = all(block[0]) and all(block[6]) and all(r[0] and r[6] for r in block)
        gap = not any(block[1][1:6]) and not any(block[5][1:6])
        centre = all(all(r[2:5]) for r in block[2:5])
        return ring and gap and centre

    q = QUIET_ZONE
    assert finder_at(q, q)
    assert finder_at(q, q + size - 7)
    assert finder_at(q + size - 7, q)
    assert not finder_at(q + size - 7, q + size - 7)  # a QR code has no fourth one


def test_widget_text_is_black_on_white_whatever_the_theme() -> None:
    from beeper_tui.tui.login.steps.qr import qr_content

    text = qr_content(render_qr("hello"))
    assert FOREGROUND == "#000000" and BACKGROUND == "#ffffff"
    style = text.style
    assert not isinstance(style, str)
    assert style.color is not None and style.color.triplet == (0, 0, 0)
    assert style.bgcolor is not None and style.bgcolor.triplet == (255, 255, 255)
    assert text.plain.splitlines() == list(render_qr("hello").lines)


def test_renderings_go_from_the_largest_modules_and_widest_quiet_zone_down() -> None:
    assert RENDERINGS[0] == (HALF_BLOCKS, QUIET_ZONE)
    assert RENDERINGS[-1] == (SEXTANTS, SMALLEST_QUIET_ZONE)
    areas = [1 / (glyphs.across * glyphs.down) for glyphs, _ in RENDERINGS]
    assert areas == sorted(areas, reverse=True)


@pytest.mark.parametrize(
    ("area", "glyphs", "quiet_zone", "size"),
    [
        ((200, 60), HALF_BLOCKS, QUIET_ZONE, (65, 33)),
        ((62, 31), HALF_BLOCKS, TIGHT_QUIET_ZONE, (61, 31)),
        ((60, 30), HALF_BLOCKS, SMALLEST_QUIET_ZONE, (59, 30)),
        ((40, 33), QUADRANTS, QUIET_ZONE, (33, 33)),
        ((80, 24), SEXTANTS, QUIET_ZONE, (33, 22)),  # a whole 80×24 terminal (the zoom)
        ((98, 20), SEXTANTS, SMALLEST_QUIET_ZONE, (30, 20)),
    ],
)
def test_fit_picks_the_first_rendering_that_fits(
    area: tuple[int, int], glyphs: Glyphs, quiet_zone: int, size: tuple[int, int]
) -> None:
    drawing, fits = fit_qr(PAYLOADS[1], *area)
    assert fits and (drawing.glyphs, drawing.quiet_zone, drawing.size) == (glyphs, quiet_zone, size)
    assert drawing.fits(*area)


def test_when_nothing_fits_fit_gives_the_smallest_drawing_and_says_so() -> None:
    smallest, fits = fit_qr(PAYLOADS[1], 80, 19)
    assert not fits and smallest.size == (30, 20)
    assert (smallest.glyphs, smallest.quiet_zone) == (SEXTANTS, SMALLEST_QUIET_ZONE)


def test_data_too_long_for_any_qr_code_raises_a_clear_error() -> None:
    with pytest.raises(QRDataTooLong, match="too many"):
        render_qr("x" * 5000)


def test_pure_helpers_never_import_textual_or_rich() -> None:
    code = (
        "import sys\n"
        "import beeper_tui.loginkit.qr_text, beeper_tui.loginkit.cookie_paste\n"
        "import beeper_tui.loginkit.field_checks, beeper_tui.loginkit.emoji_url\n"
        "import beeper_tui.text\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("data", PAYLOADS)
def test_the_size_fit_reckons_is_the_size_of_the_drawing(data: str) -> None:
    for glyphs, quiet_zone in RENDERINGS:
        assert drawn_size(data, quiet_zone, glyphs) == render_qr(data, quiet_zone, glyphs).size
