"""The QR step over its life in the real wizard: the zoom follows the step (rotated codes, closes
when the step or the session is over), a dead code is never drawn as if it could be scanned,
and the code is redrawn to fit when the terminal is resized."""

from __future__ import annotations

from typing import Any

from beeper_tui.loginkit.qr_text import HALF_BLOCKS, SEXTANTS
from beeper_tui.tui.login.screen import LoginOutcome, LoginWizardScreen
from beeper_tui.tui.login.steps import CompleteStepWidget, QRStepWidget
from beeper_tui.tui.login.steps.qr import GONE_LINE, TINY_HINT, QRCodeView, QRZoomDialog
from beeper_tui.tui.screens.help import HelpDialog
from tests.support import banner_text, demo_app, quiet_world, wait_for, wait_for_step, wizard_app


def polls(world: Any) -> int:
    return sum(
        1 for m, p in world.requests if m == "POST" and p.endswith("/steps/fi.mau.whatsapp.qr")
    )


async def open_pushed_wizard(pilot: Any, outcomes: list[LoginOutcome | None]) -> QRStepWidget:
    """Open the WhatsApp QR flow from the home screen, as `a` does (the wizard is dismissed
    back to its caller, not the app exited), and wait for its code and long-poll."""
    wizard = LoginWizardScreen("local-whatsapp", flow_id="qr")
    wizard.DONE_DELAY = 0.2
    pilot.app.push_screen(wizard, outcomes.append)
    qr = await wait_for_step(pilot, QRStepWidget)
    assert isinstance(qr, QRStepWidget)
    return qr


async def test_scanned_while_zoomed_closes_the_zoom_and_the_wizard_returns_to_its_caller() -> None:
    world = quiet_world()
    app = demo_app(world)
    outcomes: list[LoginOutcome | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        caller = app.screen
        qr = await open_pushed_wizard(pilot, outcomes)
        await wait_for(pilot, lambda: polls(world) == 1, what="the long-poll")
        await pilot.press("z")
        await wait_for(pilot, lambda: isinstance(app.screen, QRZoomDialog), what="the zoom")
        zoom = app.screen
        zoomed = zoom.query_one(QRCodeView)
        assert zoomed.drawing is not None, "the zoomed WhatsApp code must be drawn at 80×24"
        first = zoomed.drawing.lines

        assert world.rotate_qr() == 1
        await wait_for(pilot, lambda: qr.refreshes == 1, what="the rotated code")
        await pilot.pause()
        assert app.screen is zoom and zoomed.data == qr.data
        assert zoomed.drawing is not None and zoomed.drawing.lines != first

        world.scan()
        await wait_for(pilot, lambda: zoom not in app.screen_stack, what="the zoom to close")
        await wait_for_step(pilot, CompleteStepWidget)
        await wait_for(pilot, lambda: app.screen is caller, what="back to the caller")
        assert app.is_running
    (outcome,) = outcomes
    assert outcome is not None and outcome.status == "complete"
    assert world.open_session_count == 0


async def test_zoom_under_the_help_closes_with_it_when_the_step_ends() -> None:
    world = quiet_world()
    app = demo_app(world)
    outcomes: list[LoginOutcome | None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        caller = app.screen
        await open_pushed_wizard(pilot, outcomes)
        await wait_for(pilot, lambda: polls(world) == 1, what="the long-poll")
        await pilot.press("z")
        await wait_for(pilot, lambda: isinstance(app.screen, QRZoomDialog), what="the zoom")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpDialog), what="the help")
        world.scan()
        await wait_for(pilot, lambda: app.screen is caller, what="back to the caller")
        assert not any(isinstance(s, QRZoomDialog | HelpDialog) for s in app.screen_stack)
    (outcome,) = outcomes
    assert outcome is not None and outcome.status == "complete"


async def test_expired_session_replaces_the_code_and_closes_the_zoom() -> None:
    world = quiet_world()
    app = wizard_app(world, "local-whatsapp", "qr")
    async with app.run_test(size=(120, 40)) as pilot:
        qr = await wait_for_step(pilot, QRStepWidget)
        await wait_for(pilot, lambda: polls(world) == 1, what="the long-poll")
        view = qr.query_one(QRCodeView)
        await wait_for(pilot, lambda: view.drawing is not None, what="the code drawn")
        await pilot.press("z")
        await wait_for(pilot, lambda: isinstance(app.screen, QRZoomDialog), what="the zoom")
        (session_id,) = list(world.sessions)
        world.expire_session(session_id)
        await wait_for(pilot, lambda: "expired" in banner_text(app), what="the expiry banner")
        await wait_for(pilot, lambda: not isinstance(app.screen, QRZoomDialog), what="no zoom")
        await pilot.pause()
        assert view.drawing is None
        shown = str(view.render())
        assert shown == GONE_LINE and not any(ch in shown for ch in "▀▄█")
        assert "start again" in str(qr.query_one("#qr-status").render())
        await pilot.press("z")  # a dead code cannot be zoomed back into view
        await pilot.pause()
        assert not isinstance(app.screen, QRZoomDialog)
        await pilot.press("r")
        fresh = await wait_for_step(pilot, QRStepWidget)
        assert fresh is not qr
        await wait_for(pilot, lambda: fresh.query_one(QRCodeView).drawing is not None)


async def test_code_is_redrawn_to_fit_when_the_terminal_is_resized() -> None:
    world = quiet_world()
    app = wizard_app(world, "local-whatsapp", "qr")
    async with app.run_test(size=(120, 40)) as pilot:
        qr = await wait_for_step(pilot, QRStepWidget)
        view = qr.query_one(QRCodeView)
        await wait_for(pilot, lambda: view.drawing is not None, what="the code drawn")
        assert view.drawing is not None and view.drawing.glyphs is HALF_BLOCKS
        await pilot.resize_terminal(100, 30)
        await wait_for(pilot, lambda: view.drawing is not None and view.drawing.glyphs is SEXTANTS)
        assert view.drawing is not None
        assert view.drawing.fits(*view.content_size)
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: view.drawing is None, what="too small to draw")
        assert "press z to zoom" in str(view.render())
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: view.drawing is not None, what="drawn again")
        assert view.drawing is not None and view.drawing.glyphs is HALF_BLOCKS


async def test_a_code_in_tiny_blocks_says_what_to_do_if_they_show_as_boxes() -> None:
    world = quiet_world()
    app = wizard_app(world, "local-whatsapp", "qr")
    async with app.run_test(size=(100, 30)) as pilot:
        qr = await wait_for_step(pilot, QRStepWidget)
        status = qr.query_one("#qr-status")
        await wait_for(pilot, lambda: qr.query_one(QRCodeView).tiny, what="sextants")
        await wait_for(pilot, lambda: TINY_HINT in str(status.render()), what="the hint")
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: not qr.query_one(QRCodeView).tiny, what="half blocks")
        await wait_for(pilot, lambda: TINY_HINT not in str(status.render()), what="no hint")
