"""Where the URL and token come from, and how the token is kept."""

import stat
from pathlib import Path

import pytest

from beeper_tui.config import ConfigError, parse_custom_headers, resolve, save_token


def test_environment_beats_config_file(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    save_token("from-file", "http://127.0.0.1:1111", path=path)
    env = {"BEEPER_ACCESS_TOKEN": "from-env", "BEEPER_BASE_URL": "http://127.0.0.1:2222"}
    settings = resolve(env=env, path=path)
    assert (settings.token, settings.base_url) == ("from-env", "http://127.0.0.1:2222")
    assert settings.token_source == "BEEPER_ACCESS_TOKEN"


def test_flag_beats_environment_and_file_fills_gaps(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    save_token("from-file", path=path)
    env = {"BEEPER_BASE_URL": "http://127.0.0.1:2222"}
    settings = resolve(base_url="http://127.0.0.1:3333", env=env, path=path)
    assert settings.base_url == "http://127.0.0.1:3333"
    assert settings.token == "from-file" and settings.token_source == "config file"


def test_default_url_without_any_setting(tmp_path: Path) -> None:
    settings = resolve(env={}, path=tmp_path / "missing.json")
    assert settings.base_url == "http://127.0.0.1:23373"
    assert settings.token is None


def test_saved_config_is_readable_by_owner_only(tmp_path: Path) -> None:
    path = save_token("secret", path=tmp_path / "nested" / "config.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_token_not_in_settings_repr(tmp_path: Path) -> None:
    settings = resolve(env={"BEEPER_ACCESS_TOKEN": "hunter2"}, path=tmp_path / "none.json")
    assert "hunter2" not in repr(settings)


def test_custom_headers_one_per_line() -> None:
    text = "X-One: 1\n\nX-Two:  two words \n"
    assert parse_custom_headers(text) == {"X-One": "1", "X-Two": "two words"}


def test_custom_headers_reject_garbage_with_a_message() -> None:
    with pytest.raises(ConfigError, match="Name: value"):
        parse_custom_headers("no colon here")


def test_broken_config_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text("{not json")
    with pytest.raises(ConfigError, match="Can't read"):
        resolve(env={}, path=path)


def test_base_url_must_be_http(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="http://"):
        resolve(base_url="localhost:23373", env={}, path=tmp_path / "x.json")
