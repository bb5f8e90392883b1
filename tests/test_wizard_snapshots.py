"""Snapshots of the login wizard: the header over a QR step and over a form, and the flow
picker. Review the SVGs in tests/__snapshots__/test_wizard_snapshots/ before accepting a
change (``pytest --snapshot-update``)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from beeper_tui.tui.login.flow_picker import FlowPickerDialog
from beeper_tui.tui.login.steps import FormStepWidget, QRStepWidget
from tests.support import quiet_world, wait_for, wait_for_step, wizard_app

QR_SIZE = (110, 50)  # room for a WhatsApp QR code under the header
SIZE = (100, 32)


def test_wizard_at_a_qr_step(snap_compare: Any) -> None:
    async def shown(pilot: Pilot[Any]) -> None:
        await wait_for_step(pilot, QRStepWidget)
        await pilot.pause()

    app = wizard_app(quiet_world(), "local-whatsapp", "qr")
    assert snap_compare(app, terminal_size=QR_SIZE, run_before=shown)


def test_wizard_at_a_form_step_of_a_reconnect(snap_compare: Any) -> None:
    """The account's name is server text: its ``[bold]`` shows as typed."""

    async def shown(pilot: Pilot[Any]) -> None:
        await wait_for_step(pilot, FormStepWidget)
        await pilot.pause()

    login_id = "ba_V29ya1Bob25lRm9yVGVzdHM"
    app = wizard_app(quiet_world(), "local-whatsapp", "phone", login=login_id)
    assert snap_compare(app, terminal_size=SIZE, run_before=shown)


def test_flow_picker(snap_compare: Any) -> None:
    async def shown(pilot: Pilot[Any]) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FlowPickerDialog))
        await pilot.pause()

    app = wizard_app(quiet_world(), "discordgo")
    assert snap_compare(app, terminal_size=SIZE, run_before=shown)
