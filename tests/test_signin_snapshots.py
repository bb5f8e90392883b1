"""Snapshots of the first screens: Beeper Desktop not reachable, and the sign-in (its ways, and
the paste-a-token pane), at 80×24 and 120×40. The countdown is held still.

Review a changed SVG before accepting it (``pytest --snapshot-update``).
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.screen import Screen

from beeper_tui.tui.signin.countdown import RetryCountdown
from beeper_tui.tui.signin.desktop_setup import DesktopSetupScreen
from beeper_tui.tui.signin.not_reachable import NotReachableScreen
from beeper_tui.tui.signin.sign_in import SignInScreen
from tests.support import Unplugged, app_on, quiet_world, screen_of

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def _still_countdown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RetryCountdown, "_tick", lambda self: None)


def opened_on(kind: type[Screen[Any]], *keys: str) -> Any:
    async def run_before(pilot: Any) -> None:
        await screen_of(pilot, kind)
        for key in keys:
            await pilot.press(key)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_not_reachable_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    world = quiet_world()
    app = app_on(world, world.token, transport=Unplugged(world, unplugged=True))
    assert snap_compare(app, terminal_size=size, run_before=opened_on(NotReachableScreen))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_sign_in_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    app = app_on(quiet_world(), None)
    assert snap_compare(app, terminal_size=size, run_before=opened_on(SignInScreen))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_sign_in_paste_a_token(snap_compare: Any, size: tuple[int, int]) -> None:
    app = app_on(quiet_world(), "refused-token")
    assert snap_compare(app, terminal_size=size, run_before=opened_on(SignInScreen, "p"))


def test_beeper_desktop_not_signed_in(snap_compare: Any) -> None:
    world = quiet_world()
    world.setup_state = "needs-login"
    app = app_on(world, None)
    assert snap_compare(app, terminal_size=(80, 24), run_before=opened_on(DesktopSetupScreen))
