"""Snapshots of the QR step in the wizard at 80×24 and 120×40, one for each rendering the widget
chooses there (half blocks, sextants, the zoom, the line when nothing fits, the line of a dead
code), and quadrants in a narrow terminal (the only place they are the largest that fits).

Review the SVGs in tests/__snapshots__/test_qr_snapshots/ before accepting a change
(``pytest --snapshot-update``); each test also asserts the rendering it meant to show, so a
snapshot cannot silently show another one.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from beeper_tui.loginkit.qr_text import HALF_BLOCKS, QUADRANTS, SEXTANTS, Glyphs
from beeper_tui.tui.login.steps import QRStepWidget
from beeper_tui.tui.login.steps.qr import QRCodeView, QRZoomDialog
from tests.support import (
    banner_text,
    harness_for,
    qr_step,
    quiet_world,
    wait_for,
    wait_for_step,
    wizard_app,
)

SMALL = (80, 24)
LARGE = (120, 40)
SIGNAL_QR = "sgnl://linkdevice?uuid=Zm9vYmFyYmF6cXV4MTIz&pub_key=" + "QUJD" * 12


def shows(glyphs: Glyphs | None, *, zoom: bool = False, harness: bool = False) -> Any:
    """A ``run_before`` that waits for the QR step (zoomed with ``z`` when ``zoom``) and
    checks it draws with ``glyphs`` (None: no code drawn)."""

    async def run_before(pilot: Pilot[Any]) -> None:
        if harness:  # the step is all there is
            step = pilot.app.screen.query_one(QRStepWidget)
        else:
            step = await wait_for_step(pilot, QRStepWidget)
        await wait_for(pilot, lambda: pilot.app.focused is step, what="the step's keys")
        if zoom:
            await pilot.press("z")
            await wait_for(pilot, lambda: isinstance(pilot.app.screen, QRZoomDialog))
        screen = pilot.app.screen
        await wait_for(pilot, lambda: screen.query_one(QRCodeView).content_size.height > 0)
        await pilot.pause()
        view = screen.query_one(QRCodeView)
        drawn = view.drawing.glyphs if view.drawing is not None else None
        assert drawn is glyphs, f"drawn with {drawn and drawn.name}, meant {glyphs}"

    return run_before


def test_whatsapp_at_120x40_in_half_blocks(snap_compare: Any) -> None:
    app = wizard_app(quiet_world(), "local-whatsapp", "qr")
    assert snap_compare(app, terminal_size=LARGE, run_before=shows(HALF_BLOCKS))


def test_whatsapp_at_80x24_asks_for_the_zoom(snap_compare: Any) -> None:
    app = wizard_app(quiet_world(), "local-whatsapp", "qr")
    assert snap_compare(app, terminal_size=SMALL, run_before=shows(None))


def test_whatsapp_at_80x24_zoomed_in_sextants(snap_compare: Any) -> None:
    app = wizard_app(quiet_world(), "local-whatsapp", "qr")
    assert snap_compare(app, terminal_size=SMALL, run_before=shows(SEXTANTS, zoom=True))


def test_signal_at_80x24_in_sextants(snap_compare: Any) -> None:
    app = wizard_app(quiet_world(), "local-signal", "qr")
    assert snap_compare(app, terminal_size=SMALL, run_before=shows(SEXTANTS))


def test_signal_at_120x40_zoomed_in_half_blocks(snap_compare: Any) -> None:
    app = wizard_app(quiet_world(), "local-signal", "qr")
    assert snap_compare(app, terminal_size=LARGE, run_before=shows(HALF_BLOCKS, zoom=True))


def test_quadrants_in_a_narrow_terminal(snap_compare: Any) -> None:
    app = harness_for(qr_step(SIGNAL_QR))
    assert snap_compare(app, terminal_size=(40, 40), run_before=shows(QUADRANTS, harness=True))


def test_expired_code_at_120x40_is_not_drawn(snap_compare: Any) -> None:
    world = quiet_world()

    async def expired(pilot: Pilot[Any]) -> None:
        await shows(HALF_BLOCKS)(pilot)
        polled = lambda: any(path.endswith(".qr") for _, path in world.requests)  # noqa: E731
        await wait_for(pilot, polled, what="the long-poll")
        (session_id,) = list(world.sessions)
        world.expire_session(session_id)
        await wait_for(pilot, lambda: "expired" in banner_text(pilot.app))  # type: ignore[arg-type]
        await pilot.pause()
        assert pilot.app.screen.query_one(QRCodeView).drawing is None

    app = wizard_app(world, "local-whatsapp", "qr")
    assert snap_compare(app, terminal_size=LARGE, run_before=expired)
