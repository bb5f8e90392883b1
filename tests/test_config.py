"""Where the URL and token come from, how each bad setting is told, and how the file is kept."""

from __future__ import annotations

import json
import os
import stat
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from beeper_tui.config import (
    ConfigError,
    ConfigFile,
    Origin,
    SavedToken,
    parse_custom_headers,
    resolve,
    save_token,
)
from beeper_tui.config_file import config_dir
from beeper_tui.toml_writer import dumps

SECRET = "tok-SECRET-4f9a2c71e0"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "beeper-tui" / "config.toml"


# --- Precedence --------------------------------------------------------------------------------


def test_flag_beats_environment_beats_config(path: Path, tmp_path: Path) -> None:
    save_token("from-file-token", "http://127.0.0.1:1111", path=path)
    env = {"BEEPER_ACCESS_TOKEN": "from-env-token", "BEEPER_BASE_URL": "http://127.0.0.1:2222"}
    from_env = resolve(env=env, path=path)
    assert (from_env.base_url, from_env.token) == ("http://127.0.0.1:2222", "from-env-token")
    assert (from_env.base_url_origin, from_env.token_origin) == (Origin.ENV, Origin.ENV)

    token_file = tmp_path / "token.txt"
    token_file.write_text("from-flag-token\n")
    flags = resolve("http://127.0.0.1:3333", env=env, path=path, token_file=str(token_file))
    assert (flags.base_url, flags.token) == ("http://127.0.0.1:3333", "from-flag-token")
    assert (flags.base_url_origin, flags.token_origin) == (Origin.FLAG, Origin.FLAG)
    assert flags.token_where == f"--token-file {token_file}"


def test_config_fills_the_gaps(path: Path) -> None:
    save_token("from-file-token", "http://127.0.0.1:1111", path=path)
    settings = resolve(env={}, path=path)
    assert settings.base_url == "http://127.0.0.1:1111"
    assert (settings.base_url_origin, settings.token_origin) == (Origin.CONFIG, Origin.CONFIG)
    assert settings.token == "from-file-token" and settings.token_where == str(path)
    assert not settings.needs_discovery


def test_nothing_given_is_the_default_address_and_may_be_discovered(path: Path) -> None:
    settings = resolve(env={}, path=path)
    assert settings.base_url == "http://127.0.0.1:23373"
    assert settings.base_url_origin is Origin.DEFAULT and settings.needs_discovery
    assert settings.token is None and settings.token_origin is Origin.NONE


def test_a_saved_token_is_not_sent_to_another_server(path: Path) -> None:
    save_token("issued-by-one", path=path, kind="oauth", server="http://127.0.0.1:1111")
    elsewhere = resolve("http://127.0.0.1:2222", env={}, path=path)
    assert elsewhere.token is None and "saved one is for http://127.0.0.1:1111" in (
        elsewhere.token_where
    )
    same = resolve("http://127.0.0.1:1111/", env={}, path=path)
    assert same.token == "issued-by-one" and same.saved is not None
    assert same.saved.kind == "oauth"


def test_token_not_in_settings_repr(path: Path) -> None:
    settings = resolve(env={"BEEPER_ACCESS_TOKEN": SECRET}, path=path)
    assert SECRET not in repr(settings)


# --- The file ----------------------------------------------------------------------------------


def test_saved_file_is_0600_in_a_0700_folder_and_nothing_else_left(path: Path) -> None:
    saved = save_token(SECRET, path=path)
    assert saved == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert os.listdir(path.parent) == ["config.toml"], "the temp file was replaced into place"
    assert tomllib.loads(path.read_text())["auth"]["token"] == SECRET


def test_saving_keeps_settings_it_does_not_know(path: Path) -> None:
    path.parent.mkdir(mode=0o700)
    path.write_text('theme = "dark"\n\n[targets.work]\nbase_url = "http://127.0.0.1:9"\n')
    save_token(SECRET, path=path)
    document = tomllib.loads(path.read_text())
    assert document["theme"] == "dark"
    assert document["targets"] == {"work": {"base_url": "http://127.0.0.1:9"}}


def test_expiry_and_client_round_trip(path: Path) -> None:
    expires = datetime(2026, 12, 8, 20, 0, tzinfo=UTC)
    config = ConfigFile.load(path)
    config.set_token(SavedToken(SECRET, "oauth", "http://127.0.0.1:23373", "cl_1", expires))
    config.save()
    saved = ConfigFile.load(path).saved_token
    assert saved == SavedToken(SECRET, "oauth", "http://127.0.0.1:23373", "cl_1", expires)
    assert SECRET not in repr(saved)


def test_platform_folders() -> None:
    home = {"HOME": "/home/ada"}
    assert config_dir(home, "linux") == Path("/home/ada/.config/beeper-tui")
    assert config_dir({**home, "XDG_CONFIG_HOME": "/x"}, "linux") == Path("/x/beeper-tui")
    assert config_dir(home, "darwin") == Path("/home/ada/Library/Application Support/beeper-tui")
    assert config_dir({**home, "APPDATA": "C:/AppData"}, "win32") == Path("C:/AppData/beeper-tui")


def test_old_json_file_is_migrated_once(path: Path) -> None:
    legacy = path.with_name("config.json")
    legacy.parent.mkdir()
    legacy.write_text(json.dumps({"token": SECRET, "base_url": "http://127.0.0.1:4444"}))
    config = ConfigFile.load(path)
    assert config.migrated_from == legacy and not legacy.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    settings = resolve(env={}, path=path)
    assert (settings.token, settings.base_url) == (SECRET, "http://127.0.0.1:4444")
    assert ConfigFile.load(path).migrated_from is None


def test_broken_old_json_is_named_and_kept(path: Path) -> None:
    legacy = path.with_name("config.json")
    legacy.parent.mkdir()
    legacy.write_text('{"token": \n')
    with pytest.raises(ConfigError, match=r"config\.json, line 2: not valid JSON"):
        ConfigFile.load(path)
    assert legacy.exists() and not path.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('base_url = "http://127.0.0.1:1"\ntoken = \n', r"config\.toml, line 2: invalid value"),
        ("[auth\n", r"line 1: .*column"),
        ("base_url = 5\n", r"line 1: base_url should be a string, not int"),
        ('\n[auth]\ntoken = ["a"]\n', r"line 3: auth\.token should be a string, not list"),
        ('[auth]\ntoken = "x"\nkind = "magic"\n', r"line 3: auth\.kind should be one of"),
        ("auth = 1\n", r"line 1: auth should be a table"),
    ],
)
def test_corrupt_or_wrong_typed_file_names_file_and_line(
    path: Path, text: str, message: str
) -> None:
    path.parent.mkdir()
    path.write_text(text)
    with pytest.raises(ConfigError, match=message) as caught:
        resolve(env={}, path=path)
    assert str(path) in str(caught.value)
    with pytest.raises(ConfigError):
        save_token(SECRET, path=path)
    assert path.read_text() == text, "a broken file is never written over"


def test_file_that_is_not_utf8(path: Path) -> None:
    path.parent.mkdir()
    path.write_bytes(b'base_url = "x"\n# caf\xe9\n')
    with pytest.raises(ConfigError, match="line 2: the file is not UTF-8"):
        resolve(env={}, path=path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(path: Path) -> None:
    path.parent.mkdir()
    path.write_text("")
    path.chmod(0)
    with pytest.raises(ConfigError, match="permission denied"):
        resolve(env={}, path=path)


def test_folder_that_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "beeper-tui"
    blocker.write_text("a file where the folder should be")
    config = ConfigFile.load(blocker / "config.toml")
    with pytest.raises(ConfigError, match=r"Can't save the config file in .*not a folder"):
        config.check_writable()
    with pytest.raises(ConfigError, match="Can't save"):
        config.save()


def test_toml_writer_round_trips_what_it_writes() -> None:
    document = {
        "text": 'quote " backslash \\ newline \n tab \t esc \x1b del \x7f ünï',
        "flag": True,
        "count": 3,
        "ratio": 0.5,
        "when": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "list": ["a", 1],
        "odd key": "v",
        "targets": {"work laptop": {"base_url": "http://127.0.0.1:1"}, "home": {"x": 1}},
        "empty": {},
    }
    assert tomllib.loads(dumps(document, "a header\nsecond line")) == document


# --- Bad settings: one clear line each ---------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://[::1", "Invalid IPv6 URL"),
        ("http://127.0.0.1:99999", "port must be a number from 1 to 65535"),
        ("http://127.0.0.1:abc", "port must be a number from 1 to 65535"),
        ("http://127.0.0.1:23373\n", "line break"),
        ("http://bücher.example", "not plain ASCII; write it as xn--bcher-kva.example"),
        ("localhost:23373", "must start with http:// or https://"),
        ("http://user:pw@127.0.0.1:1", "user name or password"),
        ("http://", "no host name"),
    ],
)
@pytest.mark.parametrize("where", ["--base-url", "BEEPER_BASE_URL"])
def test_bad_base_url(path: Path, url: str, message: str, where: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        if where == "--base-url":
            resolve(url, env={}, path=path)
        else:
            resolve(env={"BEEPER_BASE_URL": url}, path=path)
    assert str(caught.value).startswith(where + ":")
    assert "\n" not in str(caught.value)


def test_bad_base_url_in_the_config_file_names_its_line(path: Path) -> None:
    path.parent.mkdir()
    path.write_text('# mine\nbase_url = "http://127.0.0.1:99999"\n')
    with pytest.raises(ConfigError, match=r"config\.toml, line 2: the port must be"):
        resolve(env={}, path=path)


def test_plain_http_to_another_computer_is_refused(path: Path) -> None:
    with pytest.raises(ConfigError, match="token would cross the network in clear") as caught:
        resolve("http://192.168.1.20:23373", env={}, path=path)
    assert "--allow-remote" in str(caught.value)
    allowed = resolve("http://192.168.1.20:23373", env={}, path=path, allow_remote=True)
    assert allowed.base_url == "http://192.168.1.20:23373"
    assert resolve("https://desk.example:443", env={}, path=path).base_url.startswith("https")
    for loopback in ("http://localhost:1", "http://127.0.0.9:1", "http://[::1]:1"):
        assert resolve(loopback, env={}, path=path).base_url == loopback


def test_custom_headers_one_per_line() -> None:
    text = "X-One: 1\n\nX-Two:  two words \n"
    assert parse_custom_headers(text) == {"X-One": "1", "X-Two": "two words"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"X-Ok: 1\nAuthorization Bearer {SECRET}", "line 2: no colon"),
        ("X-Name: caf\u00e9", r"line 1 \(X-Name\): the value has a character that is not"),
        ("Content-Length: 5", "line 1: Content-Length is set by the connection"),
        (f"Bad Name {SECRET}: x", "line 1: the header name is not a valid name"),
    ],
)
def test_custom_headers_refused_by_line_never_echoing_a_value(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        parse_custom_headers(text)
    assert SECRET not in str(caught.value) and "café" not in str(caught.value)
    assert str(caught.value).startswith("BEEPER_CUSTOM_HEADERS line")


@pytest.mark.parametrize("token", ["tok-\u0141ódź", "tok\u2028x", "two words"])
def test_token_that_cannot_travel_in_a_header(path: Path, token: str) -> None:
    with pytest.raises(ConfigError, match="BEEPER_ACCESS_TOKEN: the token has") as caught:
        resolve(env={"BEEPER_ACCESS_TOKEN": token}, path=path)
    assert token not in str(caught.value)


def test_token_file_problems(tmp_path: Path, path: Path) -> None:
    with pytest.raises(ConfigError, match=r"--token-file .*: no such file"):
        resolve(env={}, path=path, token_file=str(tmp_path / "missing"))
    empty = tmp_path / "empty"
    empty.write_text("\n")
    with pytest.raises(ConfigError, match="the token is empty"):
        resolve(env={}, path=path, token_file=str(empty))
