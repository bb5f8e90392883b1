"""``beeper-tui auth login | status | logout`` as a person runs them: real processes, a simulator
on a real loopback port, and a ``$BROWSER`` stand-in that follows the redirect like a browser.

Every command here runs with a known token somewhere (issued, pasted or in the environment) and
each test asserts it never appears in what the command printed.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from beeper_tui.sim import World
from beeper_tui.sim.serve import running_server

SCRIPT = Path(sys.executable).with_name("beeper-tui")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "beeper_tui"]
BROWSER = """#!{python}
# A browser stand-in: open the address, follow its redirect, keep the page it ends on.
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as page:
    open({page!r}, "w").write(page.read().decode())
"""


@pytest.fixture
def served(world: World) -> Iterator[str]:
    with running_server(world) as base_url:
        yield base_url


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "xdg"


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BEEPER_", "BROWSER"))}
    return {**clean, "XDG_CONFIG_HOME": str(home), "BROWSER": "/bin/false"}


def config_of(home: Path) -> dict:
    return tomllib.loads((home / "beeper-tui" / "config.toml").read_text())


def run(args: list[str], env: dict[str, str], **options: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, env=env, timeout=60, **options
    )  # type: ignore[call-overload]


def no_token_in(token: str, *outputs: str) -> None:
    for output in outputs:
        assert token not in output
    assert all("Traceback" not in output for output in outputs)


def test_login_status_logout_round_trip(
    world: World, served: str, env: dict[str, str], home: Path, tmp_path: Path
) -> None:
    page = tmp_path / "page.html"
    browser = tmp_path / "browser"
    browser.write_text(BROWSER.format(python=sys.executable, page=str(page)))
    browser.chmod(0o755)
    env["BROWSER"] = str(browser)

    login = run(["auth", "login", "--base-url", served], env)
    assert login.returncode == 0, login.stderr
    assert "Signed in" in login.stdout and "/oauth/authorize?" in login.stdout
    assert "close this tab" in page.read_text()
    saved = config_of(home)
    token = saved["auth"]["token"]
    assert saved["auth"]["kind"] == "oauth" and saved["base_url"] == served
    assert world.oauth.accepts(token)
    path = home / "beeper-tui" / "config.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700

    status = run(["auth", "status"], env)
    assert status.returncode == 0, status.stdout + status.stderr
    assert f"{served} (from the config file" in status.stdout
    assert f"…{token[-4:]}, saved in" in status.stdout and "OAuth" in status.stdout
    assert "Works:          yes" in status.stdout and "UTC (in " in status.stdout

    accounts = run(["status", "--json"], env)
    assert accounts.returncode in (0, 1), accounts.stderr

    logout = run(["auth", "logout"], env)
    assert logout.returncode == 0, logout.stderr
    assert "Revoked" in logout.stdout and not world.oauth.accepts(token)
    assert "auth" not in config_of(home)
    after = run(["auth", "status"], env)
    assert after.returncode == 2 and "Token:          none" in after.stdout
    no_token_in(token, *(p.stdout + p.stderr for p in (login, status, accounts, logout, after)))


def _authorize_url(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    for line in process.stdout:
        if "/oauth/authorize?" in line:
            return line.strip()
    raise AssertionError("no authorize address printed")


def _finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=30)
    return process.returncode, out, err


def test_denied_in_beeper_desktop_exits_1_and_saves_nothing(
    world: World, served: str, env: dict[str, str], home: Path
) -> None:
    world.oauth.manual = True
    process = subprocess.Popen(
        [*COMMAND, "auth", "--no-browser", "--base-url", served],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    url = _authorize_url(process)
    browsing = _browse_in_background(url)
    deadline = time.monotonic() + 10
    while not world.oauth.pending:
        assert time.monotonic() < deadline, "the authorize request never arrived"
        time.sleep(0.02)
    world.oauth.decide(False)
    code, _, err = _finish(process)
    browsing.join(5)
    assert code == 1 and "declined in Beeper Desktop; nothing was saved" in err
    assert not (home / "beeper-tui" / "config.toml").exists()


def _browse_in_background(url: str) -> object:
    import threading

    thread = threading.Thread(target=lambda: httpx.get(url, follow_redirects=True, timeout=15))
    thread.start()
    return thread


def test_timeout_exits_1(served: str, env: dict[str, str], home: Path) -> None:
    done = run(["auth", "login", "--no-browser", "--timeout", "0.1", "--base-url", served], env)
    assert done.returncode == 1 and "No answer from Beeper Desktop within 0.1 seconds" in (
        done.stderr
    )
    assert not (home / "beeper-tui").exists() or not any((home / "beeper-tui").iterdir())


def test_paste_the_redirect_address_over_ssh(
    world: World, served: str, env: dict[str, str], home: Path
) -> None:
    """The browser is on another computer: it cannot reach the callback, so the person pastes
    the address it was sent to."""
    process = subprocess.Popen(
        [*COMMAND, "auth", "login", "--no-browser", "--base-url", served],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    url = _authorize_url(process)
    location = httpx.get(url, timeout=10).headers["location"]
    assert process.stdin is not None
    process.stdin.write("not the address\n")
    process.stdin.write(location + "\n")
    process.stdin.flush()
    code, _, err = _finish(process)
    assert code == 0, err
    assert "not the address the browser was sent back to" in err
    assert world.oauth.accepts(config_of(home)["auth"]["token"])


def test_with_token_checks_before_saving(
    world: World, served: str, env: dict[str, str], home: Path
) -> None:
    refused = run(["auth", "login", "--with-token", "--base-url", served], env, input="wrong\n")
    assert refused.returncode == 2 and "refused this token; nothing saved" in refused.stderr
    assert not (home / "beeper-tui" / "config.toml").exists()

    empty = run(["auth", "--with-token", "--base-url", served], env, stdin=subprocess.DEVNULL)
    assert empty.returncode == 2 and "No token given" in empty.stderr

    good = run(["auth", "--with-token", "--base-url", served], env, input=world.token + "\n")
    assert good.returncode == 0, good.stderr
    assert "GetPassWarning" not in good.stderr and "Token checked and saved" in good.stdout
    assert config_of(home)["auth"] == {"token": world.token, "kind": "pasted", "server": served}
    status = run(["auth", "status"], env)
    assert status.returncode == 0 and "a real request with it succeeded" not in status.stdout
    no_token_in(world.token, refused.stderr, good.stdout, good.stderr, status.stdout)


def test_environment_token_status_and_logout(
    world: World, served: str, env: dict[str, str]
) -> None:
    world.token = "tok-env-KNOWN-0123456789"
    env.update(BEEPER_BASE_URL=served, BEEPER_ACCESS_TOKEN=world.token)
    status = run(["auth", "status"], env)
    assert status.returncode == 0, status.stdout
    assert "(from BEEPER_BASE_URL)" in status.stdout
    assert f"…{world.token[-4:]}, from BEEPER_ACCESS_TOKEN" in status.stdout
    logout = run(["auth", "logout"], env)
    assert logout.returncode == 1 and "can't unset" in logout.stderr
    env["BEEPER_ACCESS_TOKEN"] = "tok-refused-by-the-sim"
    refused = run(["auth", "status"], env)
    assert refused.returncode == 2 and "Works:          no" in refused.stdout
    no_token_in(world.token, status.stdout, status.stderr, logout.stdout, logout.stderr)
    no_token_in("tok-refused-by-the-sim", refused.stdout, refused.stderr)
