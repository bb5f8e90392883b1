"""Waiting in the tests: until a condition holds, never for a fixed time.

``wait_for`` is the suite's one way to wait; the helpers beside it (a screen by its type, the
wizard's long-poll, a login step) are conditions handed to it. ``app_timers_passed`` is for
what must *not* happen after a delay: it waits on the app's own timers, not on a duration
guessed to outlast them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from textual.pilot import Pilot
from textual.screen import Screen

ScreenT = TypeVar("ScreenT", bound=Screen[Any])


async def wait_for(
    pilot: Pilot[Any] | None,
    condition: Callable[[], object],
    timeout: float = 5.0,
    what: str = "",
) -> None:
    """Let the app run (``pilot``; None: just the event loop, for code tested without an app)
    until ``condition()`` holds; fail naming ``what`` after ``timeout`` seconds.

    A condition that raises counts as not yet: between two pauses a screen may be half-built.
    The last thing it raised is named in the failure."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    raised: Exception | None = None
    while True:
        try:
            if condition():
                return
        except Exception as error:
            raised = error
        if loop.time() > deadline:
            why = f" (last raised {raised!r})" if raised else ""
            raise AssertionError(f"timed out waiting for {what or condition}{why}")
        if pilot is None:
            await asyncio.sleep(0.005)
        else:
            await pilot.pause(0.02)


async def screen_of(pilot: Pilot[Any], kind: type[ScreenT], timeout: float = 5.0) -> ScreenT:
    """Wait until the top screen is a ``kind`` and has composed; return it."""
    app = pilot.app
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, kind) and app.screen.is_mounted,
        timeout,
        what=f"the {kind.__name__} on top",
    )
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, kind), f"{screen} is no longer on top"
    return screen


async def long_poll_waiting(pilot: Pilot[Any], world: Any, count: int = 1) -> None:
    """Wait until the wizard's long-poll waits on the server: only then may the phone side
    scan or rotate (before it, the poll would name a step the session has left)."""
    await wait_for(pilot, lambda: world.waiting_long_polls() >= count, what="the long-poll")


async def app_timers_passed(pilot: Pilot[Any], seconds: float) -> None:
    """Return once a timer of ``seconds`` set on the app now has fired, and the app is idle
    again: every timer the app set earlier for ``seconds`` or less has fired by then too, on
    however loaded a machine. Then check that what such a timer must not do did not happen
    (shorten the app's delay first, e.g. ``LoginWizardScreen.DONE_DELAY``, to wait less)."""
    fired: list[bool] = []
    pilot.app.set_timer(seconds, lambda: fired.append(True))
    await wait_for(pilot, lambda: fired, seconds + 5.0, what=f"a {seconds} s timer")
    await pilot.pause()
