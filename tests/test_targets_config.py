"""Several Beeper Desktops in the config file: ``[targets.NAME]`` tables, ``--target``, and
``auth login | status | logout --target NAME`` keeping each target's own token."""

from __future__ import annotations

import io
import os
import stat
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from beeper_tui.cli import main
from beeper_tui.config import ConfigError, ConfigFile, Origin, resolve
from beeper_tui.config_targets import UnknownTarget, resolve_targets, target_label
from beeper_tui.sim import World
from beeper_tui.sim.serve import running_server

SECRET = "tok-SECRET-4f9a2c71e0"
WORK_SECRET = "tok-WORK-SECRET-77aa0b"

TWO_TARGETS = f"""\
[targets.home]
base_url = "http://127.0.0.1:23373"

[targets.home.auth]
token = "{SECRET}"
kind = "pasted"

[targets.work]
base_url = "http://127.0.0.1:23380/"
"""


@pytest.fixture
def path() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "beeper-tui" / "config.toml"


def write(path: Path, text: str) -> ConfigFile:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return ConfigFile.load(path)


@pytest.fixture
def served(world: World) -> Iterator[str]:
    with running_server(world) as base_url:
        yield base_url


# --- Reading [targets.NAME] ----------------------------------------------------------------------


def test_each_target_has_its_own_address_and_token(path: Path) -> None:
    found = resolve_targets(write(path, TWO_TARGETS), env={})
    assert [(s.target, s.base_url) for s in found] == [
        ("home", "http://127.0.0.1:23373"),
        ("work", "http://127.0.0.1:23380"),
    ]
    home, work = found
    assert home.token == SECRET and home.token_origin is Origin.CONFIG
    assert work.token is None and work.token_origin is Origin.NONE
    assert not any(s.needs_discovery for s in found)
    assert SECRET not in repr(found)


def test_without_targets_there_is_one_unnamed_target_as_before(path: Path) -> None:
    config = write(path, f'base_url = "http://127.0.0.1:1111"\n[auth]\ntoken = "{SECRET}"\n')
    (only,) = resolve_targets(config, env={})
    assert only == resolve(env={}, config=config)
    assert only.target is None and target_label(only) == "default"
    (nothing,) = resolve_targets(ConfigFile.load(path.with_name("none.toml")), env={})
    assert nothing.needs_discovery  # nothing named anywhere: discovery, as always


def test_top_level_settings_are_the_target_default_beside_named_ones(path: Path) -> None:
    config = write(path, f'base_url = "http://127.0.0.1:1111"\n\n{TWO_TARGETS}')
    found = resolve_targets(config, env={})
    assert [target_label(s) for s in found] == ["default", "home", "work"]
    assert found[0].base_url == "http://127.0.0.1:1111"
    (default,) = resolve_targets(config, target="default", env={})
    assert default.base_url == "http://127.0.0.1:1111" and default.target is None


def test_the_environment_token_is_never_sent_to_a_named_target(path: Path) -> None:
    env = {"BEEPER_ACCESS_TOKEN": "env-token-123456", "BEEPER_BASE_URL": "http://127.0.0.1:2222"}
    found = resolve_targets(write(path, TWO_TARGETS), env=env)
    assert [target_label(s) for s in found] == ["default", "home", "work"]
    assert found[0].token == "env-token-123456"
    assert found[1].token == SECRET and found[2].token is None


def test_target_narrows_and_flags_apply_to_it(path: Path, tmp_path: Path) -> None:
    config = write(path, TWO_TARGETS)
    token_file = tmp_path / "token"
    token_file.write_text("from-a-file-12345\n")
    (work,) = resolve_targets(
        config, target="work", base_url="http://127.0.0.1:4444", token_file=str(token_file)
    )
    assert (work.target, work.base_url, work.token) == (
        "work",
        "http://127.0.0.1:4444",
        "from-a-file-12345",
    )
    assert work.base_url_origin is Origin.FLAG and work.token_origin is Origin.FLAG


def test_a_targets_saved_token_is_not_sent_to_another_address(path: Path) -> None:
    config = write(
        path,
        '[targets.work]\nbase_url = "http://127.0.0.1:5555"\n'
        f'[targets.work.auth]\ntoken = "{SECRET}"\nserver = "http://127.0.0.1:6666"\n',
    )
    (work,) = resolve_targets(config, env={})
    assert work.token is None and "saved one is for http://127.0.0.1:6666" in work.token_where


def test_unknown_target_lists_the_valid_names(path: Path) -> None:
    with pytest.raises(UnknownTarget) as caught:
        resolve_targets(write(path, TWO_TARGETS), target="wrok", env={})
    assert "--target wrok: no such target" in str(caught.value)
    assert str(caught.value).endswith("the targets are: default, home, work.")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[targets.work]\nbase_url = "ftp://x"\n', "line 2: the address must start with http://"),
        (
            '[targets.work]\nbase_url = "http://10.0.0.9:23373"\n',
            "line 2: refusing plain http to 10.0.0.9",
        ),
        ("[targets.work]\nbase_url = 7\n", "line 2: targets.work.base_url should be a string"),
        ('[targets.work]\nbase_url = "http://127.0.0.1:1"\n[targets.work.auth]\nkind = "x"\n', ""),
        ("[targets.work]\n", "line 1: [targets.work] has no base_url"),
        ('[targets."my work"]\nbase_url = "http://127.0.0.1:1"\n', "letters, digits, - and _"),
        ('[targets.default]\nbase_url = "http://127.0.0.1:1"\n', "taken by the top-level"),
        ('targets = "home"\n', "line 1: targets should be a table"),
        (
            f'[targets.work]\nbase_url = "http://127.0.0.1:1"\n[targets.work.auth]\n'
            f'token = "{SECRET} x"\n',
            "([targets.work.auth] token): the token has a space",
        ),
    ],
)
def test_a_bad_target_is_one_line_naming_file_and_line(path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_targets(write(path, text), env={})
    said = str(caught.value)
    assert said.startswith(str(path)) and "\n" not in said and SECRET not in said
    assert message in said or (not message and "kind should be one of oauth, pasted" in said)


# --- The command line ----------------------------------------------------------------------------


def test_unknown_target_on_a_command_exits_2_listing_names(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(path, TWO_TARGETS)
    for command in (["status"], ["watch"], ["auth", "status"], ["login", "whatsapp"], []):
        code = main([*command, "--target", "nope"])
        out, err = capsys.readouterr()
        assert code == 2 and out == "", command
        assert err == (
            f"beeper-tui: --target nope: no such target in {path}; "
            "the targets are: default, home, work.\n"
        )


def test_login_with_several_targets_asks_which(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(path, TWO_TARGETS)
    assert main(["login", "whatsapp"]) == 2
    err = capsys.readouterr().err
    assert "several are configured (home, work): say which with --target NAME" in err


def test_auth_round_trip_on_a_new_target_keeps_the_other_token(
    path: Path,
    served: str,
    world: World,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world.token = WORK_SECRET
    write(path, f'base_url = "http://127.0.0.1:1111"\n[auth]\ntoken = "{SECRET}"\n')
    monkeypatch.setattr("sys.stdin", io.StringIO(world.token + "\n"))
    code = main(["auth", "login", "--with-token", "--target", "work", "--base-url", served])
    out, err = capsys.readouterr()
    assert code == 0, err
    saved = tomllib.loads(path.read_text())
    assert saved["auth"]["token"] == SECRET and saved["base_url"] == "http://127.0.0.1:1111"
    assert saved["targets"]["work"]["base_url"] == served
    assert saved["targets"]["work"]["auth"]["token"] == world.token
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    assert main(["auth", "status", "--target", "work"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Target:         work\nBeeper Desktop: " + served)
    assert f"…{world.token[-4:]}" in out and world.token not in out + err
    assert "Works:          yes" in out

    assert main(["auth", "logout", "--target", "work"]) == 0
    out, err = capsys.readouterr()
    assert "Removed the token from" in out and "[targets.work.auth]" in out
    saved = tomllib.loads(path.read_text())
    assert "auth" not in saved["targets"]["work"] and saved["auth"]["token"] == SECRET
    assert SECRET not in out + err and world.token not in out + err


def test_auth_login_on_an_unknown_target_without_an_address_lists_names(
    path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(path, TWO_TARGETS)
    monkeypatch.setattr("sys.stdin", io.StringIO("whatever-token-1234\n"))
    assert main(["auth", "login", "--with-token", "--target", "new"]) == 2
    assert "the targets are: default, home, work." in capsys.readouterr().err
    assert path.read_text() == TWO_TARGETS


def test_status_with_target_asks_only_that_one(
    path: Path, served: str, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        path,
        f'[targets.sim]\nbase_url = "{served}"\n[targets.sim.auth]\ntoken = "{world.token}"\n'
        '[targets.gone]\nbase_url = "http://127.0.0.1:9"\n',
    )
    code = main(["status", "--target", "sim"])
    out, err = capsys.readouterr()
    assert code == 1 and err == ""  # the demo world has broken accounts
    assert served in out and "127.0.0.1:9" not in out
