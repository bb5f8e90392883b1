"""Driving the login wizard in Pilot tests: open it on the simulator, wait for what a person
would wait for, type and paste like a person."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from beeper_tui.sim import build_demo_world
from beeper_tui.tui.app import BeeperApp
from beeper_tui.tui.login.screen import LoginWizardScreen
from beeper_tui.tui.login.steps.base import StepWidget
from tests.tui_support import demo_app

SIZE = (120, 40)


def manual_world(**options: Any) -> Any:
    """A demo world where nothing happens by itself: the test is the phone."""
    return build_demo_world(autoscan=None, live_changes=False, **options)


def wizard_app(
    world: Any,
    bridge: str,
    flow: str | None = None,
    login: str | None = None,
    account: str | None = None,
) -> BeeperApp:
    """The app as ``beeper-tui login BRIDGE ...`` opens it: straight on the wizard."""
    return demo_app(world, login_target=(bridge, flow, login, account))


async def wait_for(
    pilot: Pilot[Any], condition: Callable[[], object], timeout: float = 5.0, what: str = ""
) -> None:
    """Let the app run until ``condition()`` holds; fail with ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except Exception:  # the screen may be half-built between pauses
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.02)


async def long_poll_waiting(pilot: Pilot[Any], world: Any, count: int = 1) -> None:
    """Wait until the wizard's long-poll waits on the server: only then may the phone side
    scan or rotate (before it, the poll would name a step the session has left)."""
    await wait_for(pilot, lambda: world.waiting_long_polls() >= count, what="the long-poll")


def wizard_of(app: BeeperApp) -> LoginWizardScreen:
    screen = app.screen
    if isinstance(screen, LoginWizardScreen):
        return screen
    found = [s for s in app.screen_stack if isinstance(s, LoginWizardScreen)]
    assert found, f"no wizard on the screen stack: {app.screen_stack}"
    return found[-1]


def step_of(app: BeeperApp) -> StepWidget | None:
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


def header_text(app: BeeperApp) -> str:
    return wizard_of(app).header.plain


def banner_text(app: BeeperApp) -> str:
    banner = wizard_of(app).banner
    return banner.message if banner.shown else ""


def session_ids(world: Any) -> list[str]:
    return list(world.sessions)


async def fill_form(pilot: Pilot[Any], *values: str) -> None:
    """Put each value into the form's inputs in order, Enter after each."""
    for value in values:
        await wait_for(pilot, lambda: isinstance(pilot.app.focused, Input), what="an input")
        focused = pilot.app.focused
        assert isinstance(focused, Input)
        focused.value = ""
        focused.insert_text_at_cursor(value)  # as a paste would; keys are typed elsewhere
        assert focused.value == value
        await pilot.press("enter")
        await pilot.pause()


async def paste_cookies(pilot: Pilot[Any], text: str) -> None:
    """Paste ``text`` into the cookies step's paste box, as the terminal delivers a paste."""
    area = pilot.app.screen.query_one("#paste", TextArea)
    area.focus()
    await pilot.pause()
    area.post_message(events.Paste(text))
    await pilot.pause()


def footer_keys(app: BeeperApp) -> dict[str, str]:
    """What the footer shows on the wizard now: each key and its label."""
    return {
        key: active.binding.description
        for key, active in wizard_of(app).active_bindings.items()
        if active.binding.show and active.enabled
    }
