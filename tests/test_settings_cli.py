"""Each bad setting a person can type gives one clear line on stderr and exit 2, never a
traceback, and never echoes a header value or a token."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from beeper_tui.cli import main

SECRET = "tok-SECRET-4f9a2c71e0"
#: Nothing listens here: the commands must stop before any request.
NOWHERE = "http://127.0.0.1:9"


def one_line_error(capsys: pytest.CaptureFixture[str], code: int) -> str:
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and err.startswith("beeper-tui: "), err
    assert "Traceback" not in err and SECRET not in out + err
    return err


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--base-url", "http://[::1"], {}, "--base-url: Invalid IPv6 URL"),
        (["--base-url", "http://127.0.0.1:99999"], {}, "port must be a number from 1 to 65535"),
        (["--base-url", "http://127.0.0.1:abc"], {}, "port must be a number from 1 to 65535"),
        ([], {"BEEPER_BASE_URL": "http://127.0.0.1:23373\n"}, "BEEPER_BASE_URL: the address has"),
        (["--base-url", "http://bücher.example"], {}, "xn--bcher-kva.example"),
        (["--base-url", "http://10.0.0.7:23373"], {}, "would cross the network in clear"),
        (
            ["--base-url", NOWHERE],
            {"BEEPER_CUSTOM_HEADERS": "X-Ok: 1\nX-Name: ça va"},
            "BEEPER_CUSTOM_HEADERS line 2 (X-Name): the value has a character",
        ),
        (
            ["--base-url", NOWHERE],
            {"BEEPER_CUSTOM_HEADERS": "Content-Length: 12"},
            "line 1: Content-Length is set by the connection",
        ),
        (
            ["--base-url", NOWHERE],
            {"BEEPER_CUSTOM_HEADERS": f"Authorization Bearer {SECRET}"},
            "BEEPER_CUSTOM_HEADERS line 1: no colon",
        ),
        (
            ["--base-url", NOWHERE],
            {"BEEPER_ACCESS_TOKEN": SECRET + "\u0142"},
            "BEEPER_ACCESS_TOKEN: the token has",
        ),
    ],
)
@pytest.mark.parametrize("command", ["status", "auth"])
def test_bad_setting_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    args: list[str],
    env: dict[str, str],
    message: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    err = one_line_error(capsys, main([command, *args]))
    assert message in err


def test_corrupt_config_file_stops_every_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path = tmp_path / "beeper-tui" / "config.toml"
    path.parent.mkdir()
    path.write_text('[auth]\ntoken = "unterminated\n')
    for command in (["status"], ["auth", "login"], ["auth", "status"], ["auth", "logout"]):
        err = one_line_error(capsys, main([*command, "--base-url", NOWHERE]))
        assert f"{path}, line 2:" in err
    assert path.read_text() == '[auth]\ntoken = "unterminated\n'


def test_auth_into_a_folder_it_cannot_write(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    for args in (["auth"], ["auth", "login", "--with-token"]):
        err = one_line_error(capsys, main([*args, "--base-url", NOWHERE]))
        assert "Can't save the config file in" in err


def test_stdin_at_eof_gives_no_token(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    err = one_line_error(capsys, main(["auth", "--with-token", "--base-url", NOWHERE]))
    assert "No token given; nothing saved." in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_ctrl_d_at_the_token_prompt(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def ctrl_d(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr("sys.stdin", _Terminal(""))
    monkeypatch.setattr("getpass.getpass", ctrl_d)
    code = main(["auth", "login", "--with-token", "--base-url", NOWHERE])
    _, err = capsys.readouterr()
    assert code == 2 and err.endswith("beeper-tui: No token given (input ended); nothing saved.\n")
    assert "Traceback" not in err and "Settings → Developers" in err


def test_auth_with_demo_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    assert "--demo needs no sign-in" in one_line_error(capsys, main(["auth", "--demo"]))
