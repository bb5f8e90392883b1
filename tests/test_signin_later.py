"""A token that stops working later — refused mid-session, or past its expiry — brings the
sign-in back over whatever is shown; after signing in the person is where they were, and the
refused request simply goes on (an open login wizard keeps its session)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from beeper_tui.tui.accounts.screen import AccountsScreen
from beeper_tui.tui.login.leave_dialog import LeaveLoginDialog
from beeper_tui.tui.login.steps.complete import CompleteStepWidget
from beeper_tui.tui.login.steps.qr import QRStepWidget
from beeper_tui.tui.signin.sign_in import SignInScreen
from tests.support import (
    Browser,
    app_on,
    banner_text,
    loaded,
    quiet_world,
    screen_of,
    screen_text,
    shown_text,
    wait_for,
    wait_for_step,
    wizard_of,
)

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    return tmp_path


async def paste_token(pilot, screen: SignInScreen, token: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("p")
    screen.query_one("#token").insert_text_at_cursor(token)
    await pilot.press("enter")


async def test_refused_mid_wizard_signs_in_over_it_and_the_same_session_goes_on() -> None:
    world = quiet_world()
    app = app_on(world, world.token, login_target=("local-whatsapp", "qr", None, None))
    async with app.run_test(size=SIZE) as pilot:
        qr = await wait_for_step(pilot, QRStepWidget)
        wizard = wizard_of(app)
        (session_id,) = world.sessions
        world.token = "made-anew-in-beeper-desktop"  # the old token stops working
        world.rotate_qr()  # the waiting long-poll answers; the next one is refused
        sign_in = await screen_of(pilot, SignInScreen)
        assert app.screen_stack[-2] is wizard, "the sign-in is over the wizard"
        assert "refused the access token" in screen_text(pilot)
        await paste_token(pilot, sign_in, "made-anew-in-beeper-desktop")
        await wait_for(pilot, lambda: app.screen is wizard)
        await wait_for(pilot, lambda: qr.refreshes == 1)
        assert wizard.step_widget is qr
        assert banner_text(app) == "", "the refused request went on; nothing failed"
        assert list(world.sessions) == [session_id], "no new session"
        assert world.open_session_count == 1, "the old one is still open"
        world.scan()
        await wait_for_step(pilot, CompleteStepWidget)
    assert world.open_session_count == 0


async def test_refused_on_the_accounts_screen_signs_in_over_it() -> None:
    world = quiet_world()
    app = app_on(world, world.token)
    async with app.run_test(size=SIZE) as pilot:
        home = await loaded(pilot)
        world.token = "new-token"
        await pilot.press("g")
        sign_in = await screen_of(pilot, SignInScreen)
        assert "Try the demo" not in screen_text(pilot), "the demo is for the first screen"
        await paste_token(pilot, sign_in, "new-token")
        await wait_for(pilot, lambda: app.screen is home)
        await wait_for(pilot, lambda: not home.header.offline and home.header.updated_at)
        assert "refused" not in shown_text(home.header, 200)


async def test_a_refusal_that_passes_does_not_ask_to_sign_in() -> None:
    world = quiet_world()
    app = app_on(world, world.token)
    async with app.run_test(size=SIZE) as pilot:
        home = await loaded(pilot)
        world.faults.add("unauthorized", path="/v1/bridges", times=1)
        await pilot.press("g")
        await wait_for(pilot, lambda: home.header.offline)
        assert "refused the access token" in shown_text(home.header, 200)
        assert not any(isinstance(s, SignInScreen) for s in app.screen_stack)


async def test_not_now_leaves_the_refusal_to_the_screen_below() -> None:
    world = quiet_world()
    app = app_on(world, world.token)
    async with app.run_test(size=SIZE) as pilot:
        home = await loaded(pilot)
        world.token = "new-token"
        await pilot.press("g")
        await screen_of(pilot, SignInScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is home and home.header.offline)
        assert "refused the access token" in shown_text(home.header, 200)


async def test_an_expired_sign_in_says_so_and_signing_in_again_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = quiet_world()
    world.oauth.token_lifetime = 1.0
    browser = Browser(world)
    monkeypatch.setattr("webbrowser.open", browser.open)
    app = app_on(world, None)
    async with app.run_test(size=SIZE) as pilot:
        await screen_of(pilot, SignInScreen)
        await pilot.press("enter")
        home = await loaded(pilot)
        expires_at = app.gate.expires_at
        assert expires_at is not None
        await wait_for(pilot, lambda: datetime.now(UTC) > expires_at, timeout=3)
        world.oauth.token_lifetime = 3600.0
        await pilot.press("g")
        await screen_of(pilot, SignInScreen)
        assert "Your sign-in has expired" in screen_text(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is home and not home.header.offline)
        assert isinstance(app.screen, AccountsScreen)
    assert len(world.oauth.tokens) == 2


@pytest.mark.parametrize("keys", [("q", "y"), ("ctrl+c", "ctrl+c")], ids=["q-y", "ctrl-c-twice"])
async def test_quitting_with_a_refused_token_does_not_ask_to_sign_in(
    keys: tuple[str, str],
) -> None:
    """Quitting ``beeper-tui login`` ("Stop connecting?", then stop; or Ctrl-C twice) while
    Beeper Desktop now refuses the token: the cancel on the way out is refused, which is no
    reason to ask to sign in again — the app just ends (and says the login is still open)."""
    world = quiet_world()
    app = app_on(world, world.token, login_target=("local-whatsapp", "qr", None, None))
    pushed: list[type] = []
    push_screen = app.push_screen

    def push(screen: Any, *args: Any, **kwargs: Any) -> Any:
        pushed.append(type(screen))
        return push_screen(screen, *args, **kwargs)

    app.push_screen = push  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_step(pilot, QRStepWidget)
        world.token = "another"
        first, then = keys
        await pilot.press(first)
        await screen_of(pilot, LeaveLoginDialog)
        await pilot.press(then)  # the cancel on the way out is refused now
        await wait_for(pilot, lambda: not app.is_running, what="the app to end")
    assert SignInScreen not in pushed, pushed
    assert app.return_code == 1  # beeper-tui login: not connected
    assert world.open_session_count == 1  # refused: the next start takes care of it
