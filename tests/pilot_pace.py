"""The pace at which Textual's Pilot lets the app under test settle, set for this suite.

Every ``pilot.press`` waits twice, and every ``pilot.pause()`` once, for the app to be idle:
Textual sleeps in slices of 20 ms until one slice passes with (almost) no CPU work, so each
wait costs at least 20 ms of doing nothing — 40 ms a key, most of the suite's idle time. The
slice must outlast the screen's refresh period (60 per second, 16.7 ms), or a slice could fall
between a change and the refresh that draws it, and the wait end before the screen is drawn.

Here both are four times finer: 5 ms slices, and the screens of the app under test refresh up
to 240 times a second, so a slice still outlasts a refresh period. The app does the same work
(a refresh draws only what changed, however often it runs); the suite just notices sooner that
it is done. Snapshots are unaffected (they are taken once the app is idle).

A key press also waits for every animation it started (the bridges tab's underline slides for
0.3 s): the apps under test run with animations off (``App.animation_level`` "none", what
``TEXTUAL_ANIMATIONS=none`` sets), so they jump to where they end. (Textual's own loading
indicator then reads "Loading..."; no snapshot shows one.)

Textual has no public setting for the first two, and reads ``TEXTUAL_FPS`` and
``TEXTUAL_ANIMATIONS`` once, when it is imported, before this suite's code runs: this sets
``textual._wait.SLEEP_GRANULARITY`` / ``SLEEP_IDLE``, ``textual.screen.UPDATE_PERIOD`` and
``textual.constants.TEXTUAL_ANIMATIONS`` (which each new App takes as its animation level), as
textual 8.2.8 (the dev extra's pin) names them, and stops the run with a clear error if a
Textual upgrade renamed them.

``BEEPER_TUI_TEXTUAL_PACE=1`` runs the suite at Textual's own pace, to check that a test does
not depend on this one.
"""

from __future__ import annotations

import os

import pytest

#: Seconds of each of Pilot's idle checks (Textual's own: 1/50).
SETTLE_SLICE = 0.005
#: Screen refreshes per second at most (Textual's own: 60).
REFRESHES_PER_SECOND = 240
#: The apps' animation level (Textual's own: "full"; "basic" still slides a tab's underline).
ANIMATIONS = "none"


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("BEEPER_TUI_TEXTUAL_PACE"):
        return
    import textual._wait
    import textual.constants
    import textual.screen

    names = [
        (textual._wait, "SLEEP_GRANULARITY"),
        (textual._wait, "SLEEP_IDLE"),
        (textual.screen, "UPDATE_PERIOD"),
        (textual.constants, "TEXTUAL_ANIMATIONS"),
    ]
    missing = [f"{module.__name__}.{name}" for module, name in names if not hasattr(module, name)]
    if missing:
        raise pytest.UsageError(
            f"tests/pilot_pace.py: this Textual has no {', '.join(missing)}; see its docstring "
            "(or run with BEEPER_TUI_TEXTUAL_PACE=1)"
        )
    textual._wait.SLEEP_GRANULARITY = SETTLE_SLICE
    textual._wait.SLEEP_IDLE = SETTLE_SLICE / 20  # Textual's ratio: idle below 5% CPU
    textual.screen.UPDATE_PERIOD = 1 / REFRESHES_PER_SECOND  # type: ignore[misc]
    textual.constants.TEXTUAL_ANIMATIONS = ANIMATIONS  # type: ignore[misc]
