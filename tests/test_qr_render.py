"""The QR code drawn in half blocks holds exactly the code qrcode builds for the data."""

from __future__ import annotations

import subprocess
import sys

import pytest
import qrcode
from qrcode.constants import ERROR_CORRECT_L

from beeper_tui.loginkit.qr_text import (
    BACKGROUND,
    FOREGROUND,
    QUIET_ZONE,
    TIGHT_QUIET_ZONE,
    QRDataTooLong,
    cells_to_matrix,
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


def decoded(data: str, quiet_zone: int) -> list[list[bool]]:
    """The modules read back from the drawn cells (dropping the padding row of an odd size)."""
    drawing = render_qr(data, quiet_zone)
    return cells_to_matrix(drawing.lines)[: drawing.modules]


@pytest.mark.parametrize("data", PAYLOADS)
@pytest.mark.parametrize("quiet_zone", [QUIET_ZONE, TIGHT_QUIET_ZONE])
def test_drawn_cells_decode_to_qrcodes_matrix_for_the_data(data: str, quiet_zone: int) -> None:
    assert decoded(data, quiet_zone) == qrcode_matrix(data, quiet_zone)


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


def test_fit_prefers_the_specified_quiet_zone_and_falls_back_to_the_tight_one() -> None:
    data = PAYLOADS[1]
    roomy, fits = fit_qr(data, 200, 60)
    assert fits and roomy.quiet_zone == QUIET_ZONE
    tight, fits = fit_qr(data, 62, 31)
    assert fits and tight.quiet_zone == TIGHT_QUIET_ZONE and tight.size == (61, 31)
    smallest, fits = fit_qr(data, 80, 20)
    assert not fits and smallest.size == (61, 31)


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
