"""The login wizard in Pilot tests: find it, wait for a step, read its header, banner and
footer."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from beeper_tui.tui.app import BeeperApp
from beeper_tui.tui.login.leave_dialog import LeaveLoginDialog
from beeper_tui.tui.login.screen import LoginWizardScreen
from beeper_tui.tui.login.steps import FormStepWidget
from beeper_tui.tui.login.steps.base import StepWidget
from tests.support.forms import fill_form
from tests.support.waiting import screen_of, wait_for

SIZE = (120, 40)


def wizard_of(app: BeeperApp) -> LoginWizardScreen:
    """The wizard: the top screen, or the topmost wizard under a modal."""
    screen = app.screen
    if isinstance(screen, LoginWizardScreen):
        return screen
    found = [s for s in app.screen_stack if isinstance(s, LoginWizardScreen)]
    assert found, f"no wizard on the screen stack: {app.screen_stack}"
    return found[-1]


def step_of(app: BeeperApp) -> StepWidget | None:
    """The step widget the wizard shows now (None between steps)."""
    return wizard_of(app).step_widget


async def wait_for_step(
    pilot: Pilot[Any], kind: type[StepWidget], step_id: str | None = None, timeout: float = 5.0
) -> StepWidget:
    """Wait until the wizard shows a step of widget class ``kind`` (and ``step_id``)."""

    def shown() -> bool:
        widget = step_of(pilot.app)  # type: ignore[arg-type]
        return (
            isinstance(widget, kind)
            and (step_id is None or widget.step.step_id == step_id)
            and not widget.loading
        )

    await wait_for(pilot, shown, timeout, what=f"{kind.__name__} {step_id or ''}")
    widget = step_of(pilot.app)  # type: ignore[arg-type]
    assert widget is not None
    return widget


async def telegram_answered(pilot: Pilot[Any], code: str = "12345") -> None:
    """Answer the demo Telegram's forms: the phone number, then ``code``, then (when the code
    is the right one, 12345) the password; return once the last answer is sent."""
    await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.phone_number")
    await fill_form(pilot, "+15550109999")
    await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.code")
    await fill_form(pilot, code)
    if code == "12345":
        await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.password")
        await fill_form(pilot, "correct horse")


async def asked_to_leave(pilot: Pilot[Any], key: str = "escape") -> LeaveLoginDialog:
    """Press ``key`` (Esc, q, ctrl+c) on the wizard; wait for its "Stop connecting?"."""
    await pilot.press(key)
    return await screen_of(pilot, LeaveLoginDialog)


async def left_for_good(pilot: Pilot[Any], key: str = "escape") -> None:
    """Leave ``beeper-tui login`` as a person does: ``key``, then y at "Stop connecting?";
    return once the app has ended."""
    await asked_to_leave(pilot, key)
    await pilot.press("y")
    await wait_for(pilot, lambda: not pilot.app.is_running, what="the app to end")


def header_text(app: BeeperApp) -> str:
    return wizard_of(app).header.plain


def banner_text(app: BeeperApp) -> str:
    banner = wizard_of(app).banner
    return banner.message if banner.shown else ""


def session_ids(world: Any) -> list[str]:
    return list(world.sessions)


def footer_keys(app: BeeperApp) -> dict[str, str]:
    """What the footer shows on the wizard now: each key and its label."""
    return {
        key: active.binding.description
        for key, active in wizard_of(app).active_bindings.items()
        if active.binding.show and active.enabled
    }
