"""The flow picker's default through the real app on the simulator: a passkey flow is marked
and never preselected (known by its words, or learned), the last flow that worked becomes the
default, a reconnect preselects the account's own flow, and a corrupt memory file is ignored."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from beeper_tui.flow_memory import FILE_NAME, FlowMemory
from beeper_tui.sim.flows import LINKEDIN_COOKIES, Flow, handle_user
from beeper_tui.sim.steps import Unsupported
from beeper_tui.tui.app import BeeperApp
from beeper_tui.tui.login.flow_picker import FlowPickerDialog
from beeper_tui.tui.login.steps import (
    CompleteStepWidget,
    FormStepWidget,
    QRStepWidget,
    UnknownStepWidget,
)
from tests.support import (
    SIZE,
    fill_form,
    long_poll_waiting,
    quiet_world,
    wait_for,
    wait_for_step,
    wizard_app,
)

WHATSAPP_BROKEN = "ba_Qm9uZGF5TW9ybmluZ0NvZmZlZQ"
WHATSAPP_WORK = "ba_V29ya1Bob25lRm9yVGVzdHM"
WHATSAPP_OTHER = "ba_EvYDBBsZbRQAy3UOSWqG0LuTVkc"
DESKTOP_ONLY = "finish in Beeper Desktop"


def app_with(memory: FlowMemory, world: Any, bridge: str, **reconnect: str) -> BeeperApp:
    """``beeper-tui login BRIDGE`` (with ``login=``/``account=`` a reconnect) over ``memory``."""
    app = wizard_app(world, bridge, None, reconnect.get("login"), reconnect.get("account"))
    app.flow_memory = memory
    return app


async def picker_shown(pilot: Pilot[Any]) -> tuple[list[str], str | None]:
    """Wait for the flow picker; its options as shown, and the highlighted one."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, FlowPickerDialog), what="picker")
    await pilot.pause()
    options = pilot.app.screen.query_one(OptionList)
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    index = options.highlighted
    return prompts, None if index is None else prompts[index]


async def connect_discord(pilot: Pilot[Any], world: Any, flow: str) -> None:
    """Finish the Discord flow now on screen (the token form, or the QR code) and leave."""
    if flow == "token":
        await wait_for_step(pilot, FormStepWidget, "fi.mau.discord.token")
        await fill_form(pilot, "mfa.secret-token-value")
    else:
        await wait_for_step(pilot, QRStepWidget)
        await long_poll_waiting(pilot, world)
        world.scan()
    await wait_for_step(pilot, CompleteStepWidget)
    await pilot.press("space")
    await wait_for(pilot, lambda: not pilot.app.is_running, what="the app ends")


async def test_a_passkey_flow_is_marked_and_never_preselected() -> None:
    """LinkedIn lists its passkey flow first (the server's default): the picker says it needs
    Beeper Desktop and highlights the browser sign-in instead — every time, even when the
    memory says the passkey was used last."""
    world = quiet_world()
    memory = FlowMemory(None)
    for attempt in ("first", "again", "remembered passkey"):
        if attempt == "remembered passkey":
            memory.succeeded("local-linkedin", "passkey")
        app = app_with(memory, world, "local-linkedin")
        async with app.run_test(size=SIZE) as pilot:
            prompts, highlighted = await picker_shown(pilot)
            assert prompts[0].startswith("Passkey") and DESKTOP_ONLY in prompts[0], attempt
            assert "(default)" not in prompts[0]
            assert DESKTOP_ONLY not in prompts[1]
            assert highlighted == prompts[1] and highlighted.startswith("Sign in with a browser")
            await pilot.press("q")
            await wait_for(pilot, lambda: not pilot.app.is_running, what="leaving")
    assert world.open_session_count == 0 and world.sessions == {}


async def test_a_flow_that_reached_a_webauthn_step_is_learned_as_desktop_only(
    tmp_path: Path,
) -> None:
    """A flow whose words say nothing of passkeys, but which asked for ``webauthn`` once, is
    marked and no longer preselected the next time (the memory is on disk between runs)."""
    device = Flow(
        "device", "On this device", "Confirm the sign-in here",
        steps=(Unsupported("com.linkedin.device", "webauthn", "Touch your key.",
                           extra={"rpID": "www.linkedin.com", "challenge": "Y2hhbGxlbmdl"}),),
        makes=handle_user("username"),
    )  # fmt: skip
    world = quiet_world()
    linkedin = world.bridge("local-linkedin")  # copied: the demo's bridges are shared
    world.add_bridge(replace(linkedin, flows=(device, LINKEDIN_COOKIES)))
    app = app_with(FlowMemory(tmp_path), world, "local-linkedin")
    async with app.run_test(size=SIZE) as pilot:
        prompts, highlighted = await picker_shown(pilot)
        assert highlighted == prompts[0] and "(default)" in prompts[0]
        assert DESKTOP_ONLY not in prompts[0]
        await pilot.press("enter")
        await wait_for_step(pilot, UnknownStepWidget)
        await pilot.press("escape")  # back to the picker: already marked
        prompts, highlighted = await picker_shown(pilot)
        assert DESKTOP_ONLY in prompts[0] and highlighted == prompts[1]
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running, what="leaving")
    app = app_with(FlowMemory(tmp_path), world, "local-linkedin")
    async with app.run_test(size=SIZE) as pilot:
        prompts, highlighted = await picker_shown(pilot)
        assert prompts[0].startswith("On this device") and DESKTOP_ONLY in prompts[0]
        assert highlighted == prompts[1]
    assert world.open_session_count == 0


async def test_the_flow_that_worked_last_becomes_the_default_until_another_works() -> None:
    """Discord: the token flow works, so the next picker highlights it ("last used"); QR
    chosen and given up on changes nothing; QR chosen and connected replaces it."""
    world = quiet_world()
    memory = FlowMemory(None)
    app = app_with(memory, world, "discordgo")
    async with app.run_test(size=SIZE) as pilot:
        prompts, highlighted = await picker_shown(pilot)
        assert highlighted == prompts[0] and prompts[0].startswith("QR code  (default)")
        await pilot.press("down", "enter")
        await connect_discord(pilot, world, "token")

    app = app_with(memory, world, "discordgo")
    async with app.run_test(size=SIZE) as pilot:
        prompts, highlighted = await picker_shown(pilot)
        assert highlighted == prompts[1] and prompts[1].startswith("Token  (last used)")
        assert prompts[0].startswith("QR code  (default)")
        await pilot.press("up", "enter")  # QR, then give up on it
        await wait_for_step(pilot, QRStepWidget)
        await pilot.press("q")
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, what="leaving")

    app = app_with(memory, world, "discordgo")
    async with app.run_test(size=SIZE) as pilot:
        prompts, highlighted = await picker_shown(pilot)
        assert highlighted == prompts[1], "a flow given up on does not replace the one that worked"
        await pilot.press("up", "enter")
        await connect_discord(pilot, world, "qr")

    app = app_with(memory, world, "discordgo")
    async with app.run_test(size=SIZE) as pilot:
        prompts, highlighted = await picker_shown(pilot)
        assert highlighted == prompts[0] and prompts[0].startswith("QR code  (default · last used)")
        assert "last used" not in prompts[1]
    assert world.open_session_count == 0


async def test_a_reconnect_preselects_the_flow_its_account_last_used() -> None:
    """The broken WhatsApp account connected by phone number; another by QR code since: its
    reconnect still highlights the phone flow, while an account without a flow of its own,
    and a new account, get the bridge's last one."""
    world = quiet_world()
    memory = FlowMemory(None)
    memory.succeeded(
        "local-whatsapp",
        "phone",
        login_id=WHATSAPP_BROKEN,
        account_id=f"local-whatsapp_{WHATSAPP_BROKEN}",
    )
    memory.succeeded("local-whatsapp", "qr", login_id=WHATSAPP_WORK)
    cases = [
        ({"login": WHATSAPP_BROKEN, "account": f"local-whatsapp_{WHATSAPP_BROKEN}"}, "Phone"),
        ({"login": WHATSAPP_BROKEN}, "Phone"),
        ({"login": WHATSAPP_OTHER}, "QR code"),
        ({}, "QR code"),
    ]
    for reconnect, expected in cases:
        app = app_with(memory, world, "local-whatsapp", **reconnect)
        async with app.run_test(size=SIZE) as pilot:
            _, highlighted = await picker_shown(pilot)
            assert highlighted is not None and highlighted.startswith(expected), reconnect
            assert "(last used)" in highlighted or "· last used" in highlighted
    assert world.open_session_count == 0


async def test_a_corrupt_memory_file_is_ignored_and_replaced(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / FILE_NAME).write_text('{"version": 1, "bridges": {"discordgo": {"lastFl', "utf-8")
    world = quiet_world()
    app = app_with(FlowMemory(tmp_path), world, "discordgo")
    with caplog.at_level(logging.WARNING, logger="beeper_tui.flow_memory"):
        async with app.run_test(size=SIZE) as pilot:
            prompts, highlighted = await picker_shown(pilot)
            assert highlighted == prompts[0], "the server's default, as without a memory"
            await pilot.press("down", "enter")
            await connect_discord(pilot, world, "token")
    assert app.return_code == 0
    assert "ignoring remembered login flows" in caplog.text
    assert FlowMemory(tmp_path).last_flow("discordgo") == "token", "the file was replaced"
