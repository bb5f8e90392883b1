"""The remembered login flows (``beeper_tui/flow_memory.py``) and the picker's choice from them
(``beeper_tui/loginkit/flow_choice.py``), headless."""

from __future__ import annotations

import json
import logging
import stat
from pathlib import Path

import pytest

from beeper_tui.api.models import LoginFlow
from beeper_tui.flow_memory import FILE_NAME, FlowMemory
from beeper_tui.loginkit.flow_choice import choose_flow, needs_desktop

QR = LoginFlow(id="qr", name="QR code")
PHONE = LoginFlow(id="phone", name="Phone number")
PASSKEY = LoginFlow(id="passkey", name="Passkey", description="Sign in with a passkey")


def test_a_success_is_remembered_per_bridge_login_and_account(tmp_path: Path) -> None:
    memory = FlowMemory(tmp_path / "state")
    memory.succeeded("local-whatsapp", "phone", login_id="ba_1", account_id="acc_1")
    memory.succeeded("local-whatsapp", "qr", login_id="ba_2")
    again = FlowMemory(tmp_path / "state")  # another run reads the same file
    assert again.last_flow("local-whatsapp") == "qr", "the last success is the bridge's"
    assert again.flow_of("local-whatsapp", account_id="acc_1") == "phone"
    assert again.flow_of("local-whatsapp", login_id="ba_1") == "phone"
    assert again.flow_of("local-whatsapp", login_id="ba_2", account_id="unknown") == "qr"
    assert again.flow_of("local-whatsapp", login_id="ba_9") is None
    assert again.last_flow("telegram") is None


def test_the_file_is_private_and_replaced_atomically(tmp_path: Path) -> None:
    directory = tmp_path / "state" / "beeper-tui"
    memory = FlowMemory(directory)
    memory.succeeded("discordgo", "token")
    memory.reached_step_it_cannot_do("local-linkedin", "passkey")
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE((directory / FILE_NAME).stat().st_mode) == 0o600
    assert sorted(p.name for p in directory.iterdir()) == ["login-flows.json", "login-flows.lock"]
    document = json.loads((directory / FILE_NAME).read_text())
    assert document["bridges"]["discordgo"]["lastFlow"] == "token"
    assert document["bridges"]["local-linkedin"]["cannotFinish"] == ["passkey"]


def test_it_lives_in_the_user_state_directory_not_the_config(tmp_path: Path) -> None:
    env = {"XDG_STATE_HOME": str(tmp_path / "st"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    assert FlowMemory.in_state_dir(env).directory == tmp_path / "st" / "beeper-tui"


@pytest.mark.parametrize(
    "content",
    ["{not json", '["a list"]', '{"bridges": 3}', '{"bridges": {"discordgo": "qr"}}', "\x00\xff"],
)
def test_a_corrupt_file_is_ignored_with_a_warning_then_replaced(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / FILE_NAME).write_text(content, encoding="utf-8", errors="surrogateescape")
    memory = FlowMemory(tmp_path)
    with caplog.at_level(logging.WARNING, logger="beeper_tui.flow_memory"):
        assert memory.last_flow("discordgo") is None
        assert memory.cannot_finish("discordgo") == frozenset()
    if content != '{"bridges": {"discordgo": "qr"}}':  # a wrong entry, in a good file, is skipped
        assert "ignoring remembered login flows" in caplog.text
    memory.succeeded("discordgo", "token")
    assert memory.last_flow("discordgo") == "token"
    assert json.loads((tmp_path / FILE_NAME).read_text())["bridges"]["discordgo"]


def test_a_file_that_cant_be_written_never_stops_a_login(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    memory = FlowMemory(blocker / "beeper-tui")  # its directory can't be made
    memory.succeeded("discordgo", "token")
    memory.reached_step_it_cannot_do("discordgo", "qr")
    assert memory.last_flow("discordgo") is None


def test_without_a_directory_it_remembers_in_memory_only(tmp_path: Path) -> None:
    memory = FlowMemory(None)
    memory.succeeded("discordgo", "token", account_id="discordgo")
    assert memory.last_flow("discordgo") == "token"
    assert memory.flow_of("discordgo", account_id="discordgo") == "token"
    assert FlowMemory(None).last_flow("discordgo") is None
    assert list(tmp_path.iterdir()) == []


def test_flows_whose_words_say_passkey_or_security_key_need_the_desktop() -> None:
    assert needs_desktop(PASSKEY)
    assert needs_desktop(LoginFlow(id="key", name="Security key"))
    assert needs_desktop(LoginFlow(id="x", name="Browser", description="Uses WebAuthn"))
    assert not needs_desktop(QR)
    assert needs_desktop(QR, learned={"qr"})


def test_the_choice_is_the_servers_default_unless_it_needs_the_desktop() -> None:
    assert choose_flow([QR, PHONE]).preselected == "qr"
    assert choose_flow([QR, PHONE]) == choose_flow([QR, PHONE]), "the same every time"
    passkey_first = choose_flow([PASSKEY, QR, PHONE])
    assert (passkey_first.preselected, passkey_first.server_default) == ("qr", "passkey")
    assert passkey_first.desktop_only == {"passkey"}
    assert choose_flow([PASSKEY]).preselected is None


def test_a_remembered_flow_comes_first_the_accounts_before_the_bridges() -> None:
    choice = choose_flow([QR, PHONE], remembered=["phone", "qr"])
    assert (choice.preselected, choice.remembered) == ("phone", "phone")
    assert choose_flow([QR, PHONE], remembered=[None, "phone"]).preselected == "phone"
    assert choose_flow([QR, PHONE], remembered=["gone", None]).preselected == "qr"
    never = choose_flow([PASSKEY, QR], remembered=["passkey"])
    assert (never.preselected, never.remembered) == ("qr", None)
    learned = choose_flow([QR, PHONE], learned={"phone"}, remembered=["phone"])
    assert learned.preselected == "qr"
