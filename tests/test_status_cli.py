"""``beeper-tui status`` and ``beeper-tui watch``: what a person or a script reads, the exit
codes scripts rely on, and failures that end in one clear line instead of a traceback."""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from beeper_tui.api.models import classify_health
from beeper_tui.cli import main
from beeper_tui.connect import connect_demo
from beeper_tui.sim import World, build_demo_world
from beeper_tui.sim.serve import running_server
from beeper_tui.status import run_status
from beeper_tui.watch import run_watch

DEMO_TOKEN = "demo-token"
BROKEN = "local-whatsapp_ba_EvYDBBsZbRQAy3UOSWqG0LuTVkc"  # connected in the demo
HOSTILE_NAME = "\x1b[2J\x1b[31mMallory\x07\r\n[bold]boss[/bold]"
#: How an ESC may be shown: as a control picture or an escape.
VISIBLE_ESC = r"(?:␛|\\x1b)"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No Beeper settings from the machine running the tests."""
    for name in ("BEEPER_BASE_URL", "BEEPER_ACCESS_TOKEN", "BEEPER_CUSTOM_HEADERS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))


def health_counts(world: World) -> Counter[str]:
    return Counter(classify_health(a.status).value for a in world.accounts.values())


def blocks(text: str) -> dict[str, list[str]]:
    """The text report's account lines, by bridge ID."""
    found: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        head = re.match(r"^\S.*\(([\w-]+) · ", line)
        if head:
            current = found.setdefault(head.group(1), [])
        elif line.startswith("  ") and current is not None:
            current.append(line)
    return found


async def status_of(world: World, *, as_json: bool = False) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = await run_status(connect_demo(world, backoff=0.001), as_json=as_json, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- status --------------------------------------------------------------------------------------


def test_demo_status_groups_by_bridge_attention_first_and_exits_1(
    clean_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["status", "--demo"])
    out, err = capsys.readouterr()
    assert code == 1 and err == ""
    world = build_demo_world()
    attention = health_counts(world)["needs attention"]
    assert f"{len(world.accounts)} accounts · {attention} need attention" in out
    by_bridge = blocks(out)
    assert by_bridge["local-whatsapp"][0].startswith("  ✖ needs attention  مريم الحسيني")
    assert [line.split()[0] for line in by_bridge["local-whatsapp"]] == ["✖", "✔", "✔"]
    assert by_bridge["telegram"][0].startswith("  ↻ working")
    assert by_bridge["googlechat"][0].startswith("  – off")
    for lines in by_bridge.values():
        ranks = [0 if "needs attention" in line else 1 for line in lines]
        assert ranks == sorted(ranks)
    assert "[bold]Work[/bold] phone" in out  # a name is text, shown as typed
    assert DEMO_TOKEN not in out


def test_demo_status_json_counts_match_the_world(
    clean_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["status", "--demo", "--json"])
    out, err = capsys.readouterr()
    assert code == 1 and err == ""
    report = json.loads(out)
    world = build_demo_world()
    summary = report["summary"]
    assert summary["accounts"] == len(world.accounts)
    assert {k: v for k, v in summary.items() if k != "accounts" and v} == health_counts(world)
    entries = [a for bridge in report["bridges"] for a in bridge["accounts"]]
    assert {e["accountID"] for e in entries} == set(world.accounts)
    for entry in entries:
        status = world.accounts[entry["accountID"]].status
        assert (entry["status"], entry["health"]) == (status, classify_health(status).value)
    assert report["server"] == {"version": world.app_version, "url": "embedded demo"}
    assert DEMO_TOKEN not in out


async def test_status_exits_0_when_every_account_is_fine() -> None:
    world = build_demo_world()
    for account_id in world.accounts:
        world.set_account_status(account_id, "connected")
    code, out, err = await status_of(world)
    assert (code, err) == (0, "")
    assert f"All {len(world.accounts)} accounts fine" in out
    assert "✖" not in out

    world.set_account_status(BROKEN, "reconnect_required", "Phone offline")
    code, out, _ = await status_of(world)
    assert code == 1 and "1 need attention" in out


async def test_status_prints_hostile_names_safely() -> None:
    world = build_demo_world()
    world.add_account(
        "local-whatsapp",
        "ba_mallory",
        {"id": "ba_mallory", "fullName": HOSTILE_NAME},
        status="reconnect_required",
        status_text="Signed out\x1b]0;pwned\x07",
    )
    code, out, _ = await status_of(world)
    assert code == 1
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out
    line = next(line for line in out.splitlines() if "Mallory" in line)
    assert re.search(VISIBLE_ESC + r"\[31mMallory", line)
    assert "[bold]boss" in line  # as typed (then cut to its column)
    assert re.search(r"Signed out" + VISIBLE_ESC + r"\]0;pwned", line)

    _, raw, _ = await status_of(world, as_json=True)
    assert "\x1b" not in raw
    names = [a["name"] for b in json.loads(raw)["bridges"] for a in b["accounts"]]
    assert HOSTILE_NAME in names  # scripts get the exact value, JSON-escaped


def test_not_running_exits_2_with_the_hint_and_no_traceback(
    clean_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BEEPER_ACCESS_TOKEN", "tok-not-shown")
    base_url = f"http://127.0.0.1:{closed_port()}"
    code = main(["status", "--base-url", base_url])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith(f"beeper-tui: Can't reach Beeper Desktop at {base_url}")
    assert "Settings → Developers" in err
    assert "Traceback" not in err and "tok-not-shown" not in err
    assert len(err.strip().splitlines()) == 1


def test_wrong_token_exits_2_and_never_echoes_it(
    clean_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BEEPER_ACCESS_TOKEN", "wrong-tok-123")
    with running_server(build_demo_world(token="right-tok-456")) as base_url:
        code = main(["status", "--json", "--base-url", base_url])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "refused the access token" in err and "BEEPER_ACCESS_TOKEN" in err
    assert "wrong-tok-123" not in err and "Traceback" not in err


def test_installed_command_in_a_subprocess(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("beeper-tui")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "beeper_tui"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEEPER_")}
    env["XDG_CONFIG_HOME"] = str(tmp_path)
    done = subprocess.run(
        [*command, "status", "--demo"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    assert "✖ needs attention" in done.stdout and "WhatsApp  (local-whatsapp" in done.stdout


# --- watch ---------------------------------------------------------------------------------------


def scripted_sleep(*between_polls: Callable[[], Any]) -> tuple[Callable[[float], Any], list[float]]:
    """A sleep that plays one change of the world per call (and records how long it was)."""
    steps = list(between_polls)
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        if steps:
            steps.pop(0)()

    return sleep, slept


async def test_watch_prints_one_ndjson_line_per_change() -> None:
    world = build_demo_world()
    sleep, slept = scripted_sleep(
        lambda: world.set_account_status(BROKEN, "reconnect_required", "Phone offline"),
        lambda: world.remove_login("slackgo", "T01ACME0001-U02JAMIE001", "all-devices"),
    )
    out, err = io.StringIO(), io.StringIO()
    conn = connect_demo(world, backoff=0.001)
    code = await run_watch(
        conn, as_json=True, interval=0.01, out=out, err=err, max_polls=3, sleep=sleep
    )
    assert code == 0 and err.getvalue() == ""
    assert slept == [0.01, 0.01]
    changes = [json.loads(line) for line in out.getvalue().splitlines()]
    first, *removed = changes
    assert {k: first[k] for k in ("accountID", "bridge", "from", "to", "statusText")} == {
        "accountID": BROKEN,
        "bridge": "local-whatsapp",
        "from": "connected",
        "to": "reconnect_required",
        "statusText": "Phone offline",
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first["time"])
    assert sorted(c["accountID"] for c in removed) == [
        "slackgo.T01ACME0001-U02JAMIE001",
        "slackgo.T03OSC00002-U04JRIVERA9",
    ]
    assert {(c["bridge"], c["to"]) for c in removed} == {("slackgo", "removed")}


async def test_watch_text_lines_show_names_safely() -> None:
    world = build_demo_world()
    world.add_account("telegram", "666", {"id": "666", "fullName": HOSTILE_NAME})
    sleep, _ = scripted_sleep(lambda: world.set_account_status("telegram_666", "disconnected"))
    out = io.StringIO()
    await run_watch(
        connect_demo(world), as_json=False, interval=0.01, out=out, max_polls=2, sleep=sleep
    )
    (line,) = out.getvalue().splitlines()
    assert "\x1b" not in line and "[bold]boss[/bold]" in line
    assert "(telegram_666)" in line and "connected → disconnected" in line


async def test_watch_survives_a_failing_poll_and_reports_it_once() -> None:
    world = build_demo_world()

    def break_then_change() -> None:
        world.faults.add("status", path="/v1/bridges", status=500, times=2)
        world.set_account_status(BROKEN, "disconnected", "Retrying in 30 seconds")

    sleep, slept = scripted_sleep(break_then_change)
    out, err = io.StringIO(), io.StringIO()
    code = await run_watch(
        connect_demo(world, backoff=0.001),
        as_json=True,
        interval=0.01,
        out=out,
        err=err,
        max_polls=4,
        sleep=sleep,
    )
    assert code == 0
    problems = err.getvalue().splitlines()
    assert len([p for p in problems if "retrying" in p]) == 1, problems
    assert "internal error" in problems[0].lower()
    assert problems[-1] == "beeper-tui watch: reconnected"
    assert slept == [0.01, 0.02, 0.02]  # it backs off while failing
    (change,) = [json.loads(line) for line in out.getvalue().splitlines()]
    assert (change["accountID"], change["to"]) == (BROKEN, "disconnected")
