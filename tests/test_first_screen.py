"""The first screen always gives a way forward: the accounts when all is well; otherwise what
stands in the way — Beeper Desktop not reachable, not signed in or setting up, or no (working)
token — with keys to go on."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from beeper_tui.tui.accounts.screen import AccountsScreen
from beeper_tui.tui.signin import not_reachable
from beeper_tui.tui.signin.countdown import RetryCountdown
from beeper_tui.tui.signin.desktop_setup import DesktopSetupScreen
from beeper_tui.tui.signin.not_reachable import NotReachableScreen
from beeper_tui.tui.signin.sign_in import SignInScreen
from beeper_tui.tui.signin.token_pane import TokenPane
from tests.support import (
    Unplugged,
    app_on,
    footer_labels,
    loaded,
    quiet_world,
    screen_of,
    screen_text,
    shown_text,
    type_text,
    wait_for,
)

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("BEEPER_ACCESS_TOKEN", raising=False)
    return tmp_path


async def test_a_working_token_opens_the_accounts() -> None:
    world = quiet_world()
    async with app_on(world, world.token).run_test(size=SIZE) as pilot:
        screen = await loaded(pilot)
        assert screen.table.all_rows
        assert not any(isinstance(s, SignInScreen) for s in pilot.app.screen_stack)


async def test_no_token_asks_to_sign_in_and_says_none_was_given() -> None:
    world = quiet_world()
    async with app_on(world, None).run_test(size=SIZE) as pilot:
        screen = await screen_of(pilot, SignInScreen)
        text = screen_text(pilot)
        assert "has no access token" in text
        assert "refused" not in text
        assert {"Authorize in Beeper Desktop", "Paste a token", "Try the demo"} <= footer_labels(
            screen
        )
    assert not any(path.startswith("/v1/bridges") for _, path in world.requests)


async def test_a_refused_token_is_told_apart_from_none() -> None:
    world = quiet_world()
    async with app_on(world, "not-the-token").run_test(size=SIZE) as pilot:
        await screen_of(pilot, SignInScreen)
        text = screen_text(pilot)
        assert "refused the access token from BEEPER_ACCESS_TOKEN" in text
        assert "no access token" not in text


async def test_a_wrong_pasted_token_is_refused_and_a_right_one_opens_the_accounts_and_is_saved(
    _config_home: Path,
) -> None:
    world = quiet_world()
    async with app_on(world, None).run_test(size=SIZE) as pilot:
        screen = await screen_of(pilot, SignInScreen)
        await pilot.press("p")
        await type_text(pilot, "wrong-token")
        await pilot.press("enter")
        pane = screen.query_one(TokenPane)
        await wait_for(pilot, lambda: "refused this token" in pane.problem)
        assert "wrong-token" not in screen_text(pilot), "the input is masked"
        assert not (_config_home / "beeper-tui").exists(), "nothing saved"
        field = screen.query_one("#token")
        field.value = ""
        field.insert_text_at_cursor(world.token)
        await pilot.press("enter")
        home = await loaded(pilot)
        assert home.table.all_rows
    saved = next((_config_home / "beeper-tui").iterdir())
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert world.token in saved.read_text()


async def test_a_pasted_token_not_remembered_is_not_saved(_config_home: Path) -> None:
    world = quiet_world()
    async with app_on(world, None).run_test(size=SIZE) as pilot:
        screen = await screen_of(pilot, SignInScreen)
        await pilot.press("p")
        screen.query_one("#remember").value = False
        screen.query_one("#token").insert_text_at_cursor(world.token)
        await pilot.press("enter")
        await loaded(pilot)
    assert not (_config_home / "beeper-tui").exists()


async def test_the_demo_from_the_sign_in_opens_the_embedded_simulator() -> None:
    world = quiet_world()
    app = app_on(world, None)
    async with app.run_test(size=SIZE) as pilot:
        await screen_of(pilot, SignInScreen)
        await pilot.press("d")
        screen = await loaded(pilot)
        assert screen.table.all_rows
        assert app.conn.label == "embedded demo"


async def test_not_reachable_counts_down_and_goes_on_once_beeper_desktop_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(not_reachable, "RETRY_DELAYS", (2,))
    monkeypatch.setattr(RetryCountdown, "TICK", 0.2)  # each counted second a fifth of one
    world = quiet_world()
    plug = Unplugged(world, unplugged=True)
    async with app_on(world, world.token, transport=plug).run_test(size=(80, 24)) as pilot:
        screen = await screen_of(pilot, NotReachableScreen)
        text = screen_text(pilot, 80)
        assert "Can't reach Beeper Desktop" in text
        assert "http://sim.local" in text
        assert "Settings → Developers" in text and "Integrations" in text
        assert "Trying again in 2 s." in text
        assert {"Retry now", "Enter address", "Try the demo", "Quit"} <= footer_labels(screen)
        await wait_for(pilot, lambda: screen.countdown.seconds_left == 1, timeout=3)
        plug.unplugged = False
        home = await loaded(pilot)
        assert home.table.all_rows
        assert isinstance(pilot.app.screen, AccountsScreen)


async def test_not_reachable_names_the_ports_discovery_tried() -> None:
    world = quiet_world()
    tried = tuple(range(23373, 23393))
    plug = Unplugged(world, unplugged=True)
    app = app_on(world, world.token, settings_options={"tried_ports": tried}, transport=plug)
    async with app.run_test(size=(80, 24)) as pilot:
        await screen_of(pilot, NotReachableScreen)
        assert "and on 127.0.0.1, ports 23373–23392." in screen_text(pilot, 80)


async def test_retry_now_while_still_unreachable_counts_down_again() -> None:
    world = quiet_world()
    plug = Unplugged(world, unplugged=True)
    async with app_on(world, world.token, transport=plug).run_test(size=SIZE) as pilot:
        screen = await screen_of(pilot, NotReachableScreen)
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.tries == 1 and screen.countdown.seconds_left)
        assert pilot.app.screen is screen
        plug.unplugged = False
        await pilot.press("r")
        await loaded(pilot)


async def test_the_demo_from_not_reachable() -> None:
    world = quiet_world()
    plug = Unplugged(world, unplugged=True)
    async with app_on(world, world.token, transport=plug).run_test(size=SIZE) as pilot:
        await screen_of(pilot, NotReachableScreen)
        await pilot.press("d")
        await loaded(pilot)
        assert pilot.app.conn.label == "embedded demo"


async def test_a_bad_address_is_explained_and_esc_closes_the_box() -> None:
    world = quiet_world()
    plug = Unplugged(world, unplugged=True)
    async with app_on(world, world.token, transport=plug).run_test(size=SIZE) as pilot:
        screen = await screen_of(pilot, NotReachableScreen)
        await pilot.press("a")
        field = screen.query_one("#address")
        assert field.has_focus and field.value == "http://sim.local"
        field.value = "localhost:23373"
        await pilot.press("enter")
        assert "must start with http:// or https://" in screen_text(pilot)
        await pilot.press("escape")
        assert not field.has_focus


@pytest.mark.parametrize(
    ("state", "words"),
    [
        ("needs-login", "Beeper Desktop is not signed in."),
        ("initializing", "still starting up"),
        ("needs-verification", "verify this device"),
        ("needs-first-sync", "syncing your chats for the first time"),
    ],
)
async def test_beeper_desktop_setting_up_is_said_in_words(state: str, words: str) -> None:
    world = quiet_world()
    world.setup_state = state
    async with app_on(world, None).run_test(size=SIZE) as pilot:
        await screen_of(pilot, DesktopSetupScreen)
        assert words in screen_text(pilot)


async def test_setup_screen_goes_on_by_itself_once_beeper_desktop_is_ready(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from beeper_tui.tui.signin import desktop_setup

    monkeypatch.setattr(desktop_setup, "CHECK_EVERY", 1)
    monkeypatch.setattr(RetryCountdown, "TICK", 0.2)  # each counted second a fifth of one
    world = quiet_world()
    world.setup_state = "needs-login"
    async with app_on(world, world.token).run_test(size=SIZE) as pilot:
        screen = await screen_of(pilot, DesktopSetupScreen)
        assert "not signed in" in screen_text(pilot)
        world.setup_state = "needs-first-sync"
        await wait_for(pilot, lambda: "syncing" in screen.headline, timeout=4)
        world.setup_state = "ready"
        await loaded(pilot)


async def test_a_slow_or_dropping_beeper_desktop_is_there_the_accounts_say_so() -> None:
    world = quiet_world()
    world.faults.add("drop", path="/v1/bridges", times=1)
    async with app_on(world, world.token).run_test(size=SIZE) as pilot:
        home = await screen_of(pilot, AccountsScreen)
        await wait_for(pilot, lambda: home.header.offline)
        assert "dropped" in shown_text(home.header, 200)
        await pilot.pause(0.3)
        assert pilot.app.screen is home, "no not-reachable screen over it"
