"""Authorize in Beeper Desktop, from the sign-in screen: the browser is opened on the approval
page (``webbrowser``, so $BROWSER is honoured), the answer comes back to a loopback callback —
or, over SSH, as the address the person pastes — and the accounts open. Denial, timeout,
cancel and a foreign answer each say so, and nothing is saved."""

from __future__ import annotations

import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from textual import events

from beeper_tui.sim import World
from beeper_tui.tui.signin.sign_in import SignInScreen
from tests.support import Browser, app_on, loaded, quiet_world, screen_of, wait_for

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    return tmp_path


def browser_for(world: World, monkeypatch: pytest.MonkeyPatch, **options: Any) -> Browser:
    browser = Browser(world, **options)
    monkeypatch.setattr("webbrowser.open", browser.open)
    return browser


def saved_files(config_home: Path) -> list[Path]:
    folder = config_home / "beeper-tui"
    return list(folder.iterdir()) if folder.exists() else []


async def test_enter_authorizes_in_beeper_desktop_and_opens_the_accounts(
    monkeypatch: pytest.MonkeyPatch, _config_home: Path
) -> None:
    world = quiet_world()
    browser = browser_for(world, monkeypatch)
    async with app_on(world, None).run_test(size=SIZE) as pilot:
        await screen_of(pilot, SignInScreen)
        await pilot.press("enter")
        home = await loaded(pilot)
        assert home.table.all_rows
    assert browser.opened and "/oauth/authorize?" in browser.opened[0]
    assert "code_challenge_method=S256" in browser.opened[0]
    (saved,) = saved_files(_config_home)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    (issued,) = world.oauth.tokens
    assert issued in saved.read_text()


async def test_declining_in_beeper_desktop_says_so_and_saves_nothing(
    monkeypatch: pytest.MonkeyPatch, _config_home: Path
) -> None:
    world = quiet_world()
    world.oauth.manual = True
    browser_for(world, monkeypatch)
    async with app_on(world, None).run_test(size=SIZE) as pilot:
        screen = await screen_of(pilot, SignInScreen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: world.oauth.pending)
        assert "Waiting for your answer in Beeper Desktop" in str(
            screen.query_one("#authorize-wait").content
        )
        world.oauth.decide(False)
        await wait_for(pilot, lambda: "declined" in screen.problem)
        assert screen.pane == "ways"
        assert pilot.app.screen is screen
    assert not saved_files(_config_home)
    assert not world.oauth.tokens


async def test_no_answer_in_time_says_so(
    monkeypatch: pytest.MonkeyPatch, _config_home: Path
) -> None:
    world = quiet_world()
    world.oauth.manual = True
    browser_for(world, monkeypatch)
    app = app_on(world, None)
    app.gate.sign_in_timeout = 0.5
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await screen_of(pilot, SignInScreen)
            await pilot.press("enter")
            await wait_for(pilot, lambda: "No answer from Beeper Desktop" in screen.problem)
    finally:
        world.oauth.decide(False)  # let the browser thread go
    assert not saved_files(_config_home)


async def test_esc_cancels_the_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    world = quiet_world()
    world.oauth.manual = True
    browser_for(world, monkeypatch)
    try:
        async with app_on(world, None).run_test(size=SIZE) as pilot:
            screen = await screen_of(pilot, SignInScreen)
            await pilot.press("enter")
            await wait_for(pilot, lambda: world.oauth.pending)
            await pilot.press("escape")
            await wait_for(pilot, lambda: "cancelled" in screen.problem)
            assert screen.pane == "ways"
    finally:
        world.oauth.decide(False)


async def test_over_ssh_the_pasted_address_completes_the_sign_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = quiet_world()
    browser = browser_for(world, monkeypatch, follow=False)
    async with app_on(world, None).run_test(size=SIZE) as pilot:
        screen = await screen_of(pilot, SignInScreen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: browser.sent_back_to)
        screen.post_message(events.Paste("nonsense"))
        await wait_for(
            pilot, lambda: "not the address" in str(screen.query_one("#pasted-error").content)
        )
        screen.post_message(events.Paste(browser.sent_back_to[0]))
        home = await loaded(pilot)
        assert home.table.all_rows
    assert len(world.oauth.tokens) == 1


async def test_an_answer_for_another_sign_in_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    world = quiet_world()
    browser = browser_for(world, monkeypatch, follow=False)
    async with app_on(world, None).run_test(size=SIZE) as pilot:
        screen = await screen_of(pilot, SignInScreen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: browser.sent_back_to)
        foreign = browser.sent_back_to[0].replace("state=", "state=someone-else")
        screen.post_message(events.Paste(foreign))
        await wait_for(pilot, lambda: "does not belong to this sign-in" in screen.problem)
    assert not world.oauth.tokens


async def test_c_copies_the_address_to_open(monkeypatch: pytest.MonkeyPatch) -> None:
    world = quiet_world()
    world.oauth.manual = True
    browser = browser_for(world, monkeypatch)
    app = app_on(world, None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await screen_of(pilot, SignInScreen)
            await pilot.press("enter")
            await wait_for(pilot, lambda: browser.opened)
            await pilot.pause(0.1)
            await pilot.press("c")
            assert app.clipboard == browser.opened[0]
    finally:
        world.oauth.decide(False)


def test_browser_stand_in_runs_off_the_event_loop() -> None:
    """The stand-in must not block: webbrowser.open is called from a thread of its own."""
    browser = Browser(quiet_world(), follow=False)
    assert isinstance(browser.done, threading.Event)
