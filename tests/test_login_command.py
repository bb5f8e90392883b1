"""``beeper-tui login NETWORK``: the name a user types finds its bridge (or a list of what to
type instead, exit 2, before any full screen), no terminal means a refusal instead of a spin,
and the command ends with one line saying how the login went."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from beeper_tui.api.models import Bridge
from beeper_tui.cli import main
from beeper_tui.login_command import NoSuchBridge, match_bridge, outcome_line, terminal_missing
from beeper_tui.tui.app import BeeperApp
from beeper_tui.tui.login.steps import CompleteStepWidget, QRStepWidget
from tests.support import (
    SIZE,
    quiet_world,
    telegram_answered,
    wait_for,
    wait_for_step,
    wizard_app,
    wizard_of,
)


def bridge(bridge_id: str, type_: str, name: str, network: str | None = None) -> Bridge:
    return Bridge.model_validate(
        {
            "id": bridge_id,
            "type": type_,
            "provider": "local",
            "displayName": name,
            "activeAccountCount": 0,
            "supportsMultipleAccounts": True,
            "status": "connected",
            "network": network or name,
        }
    )


BRIDGES = [
    bridge("local-whatsapp", "whatsapp", "WhatsApp"),
    bridge("telegram", "telegram", "Telegram"),
    bridge("twitter", "twitter", "X", "X (Twitter)"),
    bridge("local-gmessages", "gmessages", "Google Messages"),
]


# --- the name matching (a pure function) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("local-whatsapp", "local-whatsapp"),
        ("LOCAL-WhatsApp", "local-whatsapp"),
        ("whatsapp", "local-whatsapp"),
        ("WhatsApp", "local-whatsapp"),
        ("google messages", "local-gmessages"),
        ("gmessages", "local-gmessages"),
        ("x", "twitter"),
        ("x (twitter)", "twitter"),
        ("Telegram", "telegram"),
    ],
)
def test_a_bridge_id_type_or_network_name_in_any_case_finds_the_bridge(
    typed: str, expected: str
) -> None:
    assert match_bridge(typed, BRIDGES).id == expected


def test_an_exact_id_wins_over_another_bridges_type() -> None:
    bridges = [bridge("whatsapp", "whatsapp", "WhatsApp"), *BRIDGES]
    assert match_bridge("whatsapp", bridges).id == "whatsapp"


def test_an_ambiguous_name_lists_the_matches() -> None:
    bridges = [*BRIDGES, bridge("whatsapp-cloud", "whatsapp", "WhatsApp Business")]
    with pytest.raises(NoSuchBridge) as caught:
        match_bridge("whatsapp", bridges)
    message = str(caught.value)
    assert "local-whatsapp (WhatsApp)" in message
    assert "whatsapp-cloud (WhatsApp Business)" in message
    assert "telegram" not in message


def test_an_unknown_name_lists_every_valid_id() -> None:
    with pytest.raises(NoSuchBridge) as caught:
        match_bridge("whatsap", BRIDGES)
    message = str(caught.value)
    assert "'whatsap'" in message
    assert "local-whatsapp, telegram, twitter, local-gmessages" in message


def test_a_hostile_name_is_quoted_safely_in_the_message() -> None:
    with pytest.raises(NoSuchBridge) as caught:
        match_bridge("\x1b[2Jevil\nline", BRIDGES)
    assert "\x1b" not in str(caught.value) and "\n" not in str(caught.value)


# --- the command, before the full screen ---------------------------------------------------------


@pytest.fixture
def no_full_screen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Any]:
    """``BeeperApp.run`` replaced: records each app it would have run, and ends "cancelled"."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    ran: list[Any] = []

    def run(self: BeeperApp, *args: Any, **kwargs: Any) -> int:
        ran.append(self)
        return 1

    monkeypatch.setattr(BeeperApp, "run", run)
    return ran


class FakeTerminal:
    def isatty(self) -> bool:
        return True


def test_an_unknown_network_exits_2_with_the_valid_ids_before_the_screen(
    no_full_screen: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["login", "--demo", "whatsap"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "no bridge called 'whatsap'" in err
    assert "local-whatsapp" in err and "sh-irc" in err and err.count("\n") == 1
    assert no_full_screen == []


def test_without_a_terminal_it_refuses_with_exit_2(
    no_full_screen: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["login", "--demo", "whatsapp"]) == 2  # under pytest stdin is not a tty
    out, err = capsys.readouterr()
    assert out == "" and "login needs a terminal" in err
    assert no_full_screen == []


def test_stdout_piped_is_refused_too() -> None:
    import io

    assert terminal_missing(FakeTerminal(), io.StringIO()) is not None  # type: ignore[arg-type]
    assert "output" in (terminal_missing(FakeTerminal(), io.StringIO()) or "")  # type: ignore[arg-type]
    assert terminal_missing(FakeTerminal(), FakeTerminal()) is None  # type: ignore[arg-type]


def test_in_a_terminal_the_wizard_opens_on_the_resolved_id_and_says_how_it_ended(
    no_full_screen: list[Any], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", FakeTerminal())
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    code = main(["login", "--demo", "Google Messages", "--flow", "qr"])
    out, err = capsys.readouterr()
    assert code == 1 and err == ""
    (app,) = no_full_screen
    assert app.login_target.bridge_id == "local-gmessages" and app.login_target.flow_id == "qr"
    assert out == "Cancelled\n"


# --- how it ended: the wizard driven with Pilot --------------------------------------------------


async def test_a_completed_login_ends_with_connected_network_and_name() -> None:
    world = quiet_world()
    before = set(world.accounts)
    app = wizard_app(world, "telegram")
    async with app.run_test(size=SIZE) as pilot:
        await telegram_answered(pilot)
        await wait_for_step(pilot, CompleteStepWidget)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.is_running)
    (new,) = set(world.accounts) - before
    name = world.accounts[new].user["fullName"]
    outcome = app.login_wizard.outcome if app.login_wizard else None
    assert outcome is not None
    line = outcome_line(outcome.status, BRIDGES[1], outcome.account, outcome.error)
    assert line == f"Connected Telegram — {name}"


async def test_a_wrong_code_ends_with_failed_and_the_servers_reason() -> None:
    world = quiet_world()
    app = wizard_app(world, "telegram")
    async with app.run_test(size=SIZE) as pilot:
        await telegram_answered(pilot, code="54321")
        wizard = wizard_of(app)
        await wait_for(pilot, lambda: wizard.outcome is not None, what="the failure")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.is_running, what="exit")
    outcome = app.login_wizard.outcome if app.login_wizard else None
    assert outcome is not None and app.return_code == 1
    line = outcome_line(outcome.status, BRIDGES[1], outcome.account, outcome.error)
    assert line == "Failed: That login code is not correct. Start again for a new code."


async def test_leaving_the_wizard_ends_with_cancelled() -> None:
    world = quiet_world()
    app = wizard_app(world, "local-whatsapp", "qr")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_step(pilot, QRStepWidget)
        await pilot.press("escape")
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, what="exit")
    outcome = app.login_wizard.outcome if app.login_wizard else None
    assert outcome is not None and outcome.status == "cancelled"
    assert outcome_line(outcome.status, BRIDGES[0], None, None) == "Cancelled"


def test_a_failure_reason_from_the_server_is_one_safe_line() -> None:
    from beeper_tui.api.models import APIError

    error = APIError(code="x", message="\x1b[31mbad\nthing")
    line = outcome_line("failed", BRIDGES[0], None, error)
    assert line.startswith("Failed: ") and "\x1b" not in line and "\n" not in line
