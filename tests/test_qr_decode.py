"""A real decoder (zxing-cpp) reads the QR code back from the cells the app renders, drawn as a
terminal draws them (``tests/support/raster.py``): for every rendering the widget can choose,
and in the wizard at the terminal sizes people use, as drawn or after ``z``."""

from __future__ import annotations

import random

import pytest
import qrcode
from qrcode.constants import ERROR_CORRECT_L
from rich.segment import Segment
from textual.app import App, ComposeResult

from beeper_tui.loginkit.qr_text import RENDERINGS, Glyphs, fit_qr, render_qr
from beeper_tui.sim.flows import discord_qr, gmessages_qr, signal_qr, whatsapp_qr
from beeper_tui.tui.login.steps import QRStepWidget
from beeper_tui.tui.login.steps.qr import QR_STYLE, QRCodeView, QRZoomDialog
from tests.support import WHATSAPP_QR, quiet_world, wait_for, wait_for_step, wizard_app
from tests.support.raster import decode, modules_seen, raster, rendered_lines

_rng = random.Random(2026)
PAYLOADS = {
    "whatsapp": whatsapp_qr(_rng),  # 225 characters: version 9
    "whatsapp-250": WHATSAPP_QR + ",QUJDREVGR0hJSktMTU5PUFFS",  # version 10
    "signal": signal_qr(_rng),
    "gmessages": gmessages_qr(_rng),
    "discord": discord_qr(_rng),
}
CELLS = [(4, 8), (7, 15)]  # pixels of a cell: the brief's even one, and a real font's odd one


def test_payloads_are_as_long_as_the_networks_send() -> None:
    lengths = {name: len(data) for name, data in PAYLOADS.items()}
    assert lengths["whatsapp"] == 225 and lengths["whatsapp-250"] == 250
    assert 90 < lengths["signal"] < 120 and 170 < lengths["gmessages"] < 200


def test_the_decoder_reads_nothing_in_a_picture_without_a_code() -> None:
    blank = [[Segment(" " * 40, QR_STYLE)] for _ in range(20)]
    noise = [[Segment("▀▄█ ▚▞" * 7, QR_STYLE)] for _ in range(20)]
    assert decode(raster(blank)) == [] and decode(raster(noise)) == []


def reference_modules(data: str, quiet_zone: int) -> list[list[bool]]:
    """qrcode's own modules for the data at error correction L, quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_L, border=quiet_zone)
    code.add_data(data)
    code.make(fit=True)
    return [[bool(module) for module in row] for row in code.get_matrix()]


class CodeOnly(App[None]):
    """Nothing but the code's view, sized by the test."""

    def __init__(self, data: str) -> None:
        super().__init__()
        self.data = data

    def compose(self) -> ComposeResult:
        yield QRCodeView(self.data, id="code")


def rendering_id(rendering: tuple[Glyphs, int]) -> str:
    glyphs, quiet_zone = rendering
    return f"{glyphs.name}-q{quiet_zone}".replace(" ", "-")


@pytest.mark.parametrize("name", list(PAYLOADS))
async def test_every_rendering_the_widget_draws_decodes_to_the_payload(name: str) -> None:
    """Give the view exactly the room of each rendering in turn: it draws that one; what a
    terminal shows at each module's centre is qrcode's module exactly, and the picture of its
    cells reads back as the payload (zxing would forgive a few wrong modules, the first check
    does not)."""
    data = PAYLOADS[name]
    app = CodeOnly(data)
    async with app.run_test(size=(140, 50)) as pilot:
        view = app.query_one(QRCodeView)
        for glyphs, quiet_zone in RENDERINGS:
            expected = render_qr(data, quiet_zone, glyphs)
            view.styles.width, view.styles.height = expected.size
            await wait_for(
                pilot,
                lambda e=expected: view.drawing == e and view.size == e.size,
                what=f"the view at {expected.size} drawing {glyphs.name}, quiet zone {quiet_zone}",
            )
            lines = rendered_lines(view)
            seen = modules_seen(lines, glyphs.across, glyphs.down)
            side = expected.modules
            assert [row[:side] for row in seen[:side]] == reference_modules(data, quiet_zone)
            for cell in CELLS:
                read = decode(raster(lines, cell))
                assert read == [data], f"{glyphs.name}, quiet zone {quiet_zone}, {cell} px"


async def test_without_a_quiet_zone_the_decoder_fails_so_one_module_is_the_least() -> None:
    """The measurement behind SMALLEST_QUIET_ZONE: the same cells minus their quiet zone (the
    dark terminal right against the code) do not read."""
    data = PAYLOADS["whatsapp"]
    app = CodeOnly(data)
    async with app.run_test(size=(80, 40)) as pilot:
        view = app.query_one(QRCodeView)
        drawing = render_qr(data, 2)  # half blocks, quiet zone 2: one cell row of it
        view.styles.width, view.styles.height = drawing.size
        await wait_for(pilot, lambda: view.drawing == drawing and view.size == drawing.size)
        lines = rendered_lines(view)
        assert decode(raster(lines)) == [data]
        # Cut the quiet zone: two columns each side, one line above and below (modules 59-60
        # and the light padding row; module row 59 stays, one light row under the code).
        bare = [_crop(line, 2, drawing.cols - 2) for line in lines[1:-1]]
        assert decode(raster(bare)) == []


def _crop(line: list[Segment], start: int, end: int) -> list[Segment]:
    cells = [Segment(ch, seg.style) for seg in line for ch in seg.text]
    return cells[start:end]


WIZARD_SIZES = [(80, 24), (100, 30), (120, 40)]
BRIDGES = {
    "local-whatsapp": "whatsapp",
    "local-signal": "signal",
    "local-gmessages": "google messages",
    "discordgo": "discord",
}


@pytest.mark.parametrize("size", WIZARD_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("bridge", list(BRIDGES))
async def test_wizard_code_scans_as_drawn_or_after_zoom(bridge: str, size: tuple[int, int]) -> None:
    world = quiet_world()
    app = wizard_app(world, bridge, "qr")
    async with app.run_test(size=size) as pilot:
        qr = await wait_for_step(pilot, QRStepWidget)
        view = qr.query_one(QRCodeView)
        await wait_for(pilot, lambda: view.content_size.height > 0)
        await pilot.pause()
        data = qr.data
        drawn, fits = fit_qr(data, *view.content_size)
        if fits:
            assert view.drawing == drawn
            assert decode(raster(rendered_lines(view))) == [data]
        else:
            assert view.drawing is None and "press z to zoom" in str(view.render())
        await pilot.press("z")
        await wait_for(pilot, lambda: isinstance(app.screen, QRZoomDialog), what="the zoom")
        zoomed = app.screen.query_one(QRCodeView)
        await wait_for(pilot, lambda: zoomed.drawing is not None, what="the zoomed code")
        assert zoomed.size == size
        assert decode(raster(rendered_lines(zoomed))) == [data]
