"""Snapshots of the flow picker where it knows something: LinkedIn's passkey flow (its server
default) marked "finish in Beeper Desktop" with the browser sign-in highlighted, at 80×24, and
a Discord picker whose remembered flow is highlighted. Review the SVGs in
tests/__snapshots__/test_flow_picker_snapshots/ before accepting a change."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from beeper_tui.flow_memory import FlowMemory
from beeper_tui.tui.login.flow_picker import FlowPickerDialog
from tests.support import quiet_world, wait_for, wizard_app


async def _picker_shown(pilot: Pilot[Any]) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, FlowPickerDialog))
    await pilot.pause()


def test_a_passkey_flow_at_80x24(snap_compare: Any) -> None:
    app = wizard_app(quiet_world(), "local-linkedin")
    assert snap_compare(app, terminal_size=(80, 24), run_before=_picker_shown)


def test_the_flow_used_last_is_highlighted(snap_compare: Any) -> None:
    app = wizard_app(quiet_world(), "discordgo")
    app.flow_memory = FlowMemory(None)
    app.flow_memory.succeeded("discordgo", "token")
    assert snap_compare(app, terminal_size=(80, 24), run_before=_picker_shown)
