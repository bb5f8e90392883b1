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
from beeper_tui.line_wrap import FALLBACK
from beeper_tui.sim import World, build_demo_world
from beeper_tui.sim.serve import running_server
from beeper_tui.status import HEALTH_KEYS, run_status
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
    return Counter(HEALTH_KEYS[classify_health(a.status)] for a in world.accounts.values())


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
    attention = health_counts(world)["needsAttention"]
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
        health = HEALTH_KEYS[classify_health(status)]
        assert (entry["status"], entry["health"]) == (status, health)
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


def after_snapshot(output: str, *, as_json: bool, accounts: int) -> list[str]:
    """The change lines of a ``watch`` output, once its opening snapshot is checked: with
    ``--json`` one ``snapshot`` record listing ``accounts`` accounts, else one line per account
    (each saying a status, none a change); every line after it is one change."""
    lines = output.splitlines()
    if as_json:
        head, *rest = lines
        record = json.loads(head)
        assert record["type"] == "snapshot" and len(record["accounts"]) == accounts, head
        assert all(json.loads(line)["type"] == "change" for line in rest)
        return rest
    state, rest = lines[:accounts], lines[accounts:]
    assert len(state) == accounts and not [line for line in state if " → " in line], state
    assert all(" → " in line for line in rest), rest
    return rest


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
    lines = after_snapshot(out.getvalue(), as_json=True, accounts=len(build_demo_world().accounts))
    changes = [json.loads(line) for line in lines]
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


async def test_watch_json_opens_with_a_snapshot_of_every_account() -> None:
    world = build_demo_world()
    sleep, _ = scripted_sleep(lambda: world.set_account_status(BROKEN, "disconnected", "Gone"))
    out = io.StringIO()
    await run_watch(
        connect_demo(world), as_json=True, interval=0.01, out=out, max_polls=2, sleep=sleep
    )
    head, change = (json.loads(line) for line in out.getvalue().splitlines())
    assert set(head) == SNAPSHOT_KEYS and head["type"] == "snapshot"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", head["time"])
    accounts = head["accounts"]
    assert [a["accountID"] for a in accounts] == list(world.accounts)  # the API's order
    assert all(set(entry) == ACCOUNT_KEYS for entry in accounts)  # as in status --json
    alice = next(a for a in accounts if a["accountID"] == BROKEN)
    assert (alice["status"], alice["health"]) == ("connected", "ok")  # before the change
    assert set(change) == CHANGE_KEYS and change["type"] == "change"
    assert (change["accountID"], change["from"], change["to"]) == (BROKEN, "connected",
                                                                   "disconnected")  # fmt: skip


async def test_watch_text_opens_with_one_line_per_account_then_a_line_per_change() -> None:
    world = build_demo_world()
    world.set_account_status(BROKEN, "reconnect_required", "Phone offline")
    at_start = {account_id: a.status for account_id, a in world.accounts.items()}
    sleep, _ = scripted_sleep(lambda: world.set_account_status(BROKEN, "connected"))
    out = io.StringIO()
    await run_watch(
        connect_demo(world), as_json=False, interval=0.01, out=out, max_polls=2, sleep=sleep
    )
    *state, change = out.getvalue().splitlines()
    assert len(state) == len(at_start)
    for line, (account_id, status) in zip(state, at_start.items(), strict=True):
        assert f"({account_id})  {status}" in line and " → " not in line
    alice = next(line for line in state if BROKEN in line)
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ  local-whatsapp  \S.* \("
        + BROKEN
        + r"\)  reconnect_required — Phone offline",
        alice,
    ), alice
    assert f"({BROKEN})  reconnect_required → connected" in change


async def test_watch_snapshot_waits_for_the_first_answer_and_comes_once() -> None:
    """Beeper Desktop down at start: nothing on stdout until it answers, then the snapshot
    (once, even after a later outage), then only changes."""
    world = build_demo_world()
    world.faults.add("status", path="/v1/bridges", status=503, times=1)

    def outage_then_change() -> None:
        world.faults.add("status", path="/v1/bridges", status=503, times=1)
        world.set_account_status(BROKEN, "disconnected")

    sleep, _ = scripted_sleep(nothing_happens, nothing_happens, outage_then_change)
    out, err = io.StringIO(), io.StringIO()
    await run_watch(
        connect_demo(world, backoff=0.001, retries=0),
        as_json=True,
        interval=0.01,
        out=out,
        err=err,
        max_polls=5,
        sleep=sleep,
    )
    assert err.getvalue().count("(retrying)") == 2 and "reconnected" in err.getvalue()
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["type"] for r in records] == ["snapshot", "change"]
    assert (records[1]["accountID"], records[1]["to"]) == (BROKEN, "disconnected")


async def test_watch_of_no_accounts_opens_with_an_empty_snapshot() -> None:
    world = World()  # Beeper Desktop with no bridges, so no accounts
    for as_json, expected in ((True, '{"type": "snapshot", "time": "T", "accounts": []}'),
                              (False, "")):  # fmt: skip
        out = io.StringIO()
        await run_watch(connect_demo(world), as_json=as_json, interval=0, out=out, max_polls=1)
        assert re.sub(r'"time": "[^"]+"', '"time": "T"', out.getvalue().strip()) == expected


def nothing_happens() -> None:
    return None


async def test_watch_text_lines_show_names_safely() -> None:
    world = build_demo_world()
    world.add_account("telegram", "666", {"id": "666", "fullName": HOSTILE_NAME})
    sleep, _ = scripted_sleep(lambda: world.set_account_status("telegram_666", "disconnected"))
    out = io.StringIO()
    await run_watch(
        connect_demo(world), as_json=False, interval=0.01, out=out, max_polls=2, sleep=sleep
    )
    (line,) = after_snapshot(out.getvalue(), as_json=False, accounts=len(world.accounts))
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
    lines = after_snapshot(out.getvalue(), as_json=True, accounts=len(world.accounts))
    (change,) = [json.loads(line) for line in lines]
    assert (change["accountID"], change["to"]) == (BROKEN, "disconnected")


# --- A hostile server: every string it sends is data -----------------------------------------

#: Every class of character a terminal acts on, in one string.
EVIL = "\x1b[2J\x1b]52;c;cHduZWQ=\x07\x1b]0;title\x1b\\\x9b31m\x7f\u202e\u2066\x00\r\x08\nFAKE"
#: What may never reach a terminal from the server: C0 (but the newlines we write), DEL, C1,
#: bidi and other format characters, lone surrogates.
RAW = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)


def hostile_bridges(evil: str, status: str = "connected") -> dict[str, Any]:
    """A /v1/bridges answer with ``evil`` in every string field a surface shows."""
    account = {
        "accountID": f"acct{evil}",
        "loginID": f"login{evil}",
        "bridge": {"id": f"b{evil}", "type": f"t{evil}", "provider": f"p{evil}"},
        "user": {"id": f"u{evil}", "fullName": f"Name{evil}"},
        "status": f"{status}{evil}",
        "statusText": f"Text{evil}",
        "network": f"Net{evil}",
    }
    bridge = {
        "id": f"b{evil}",
        "type": f"t{evil}",
        "provider": f"p{evil}",
        "displayName": f"Display{evil}",
        "activeAccountCount": 1,
        "supportsMultipleAccounts": True,
        "status": f"connected{evil}",
        "statusText": f"BridgeText{evil}",
        "accounts": [account],
    }
    return {"items": [bridge]}


def hostile_connection(
    evil: str, *, status: int = 200, body: Any = None, version: str | None = None
) -> Any:
    import httpx

    from beeper_tui.api.client import BeeperClient
    from beeper_tui.connect import Connection

    payload = hostile_bridges(evil) if body is None else body
    content = json.dumps(payload).encode()  # ensure_ascii: lone surrogates as JSON escapes
    headers = {"X-Beeper-Desktop-Version": (version or f"9{evil}").encode("utf-8", "replace")}

    def handler(request: httpx.Request) -> httpx.Response:
        raw_headers = [(b"content-type", b"application/json")]
        raw_headers += [(k.encode(), v) for k, v in headers.items()]
        return httpx.Response(status, headers=raw_headers, content=content)

    client = BeeperClient(
        "http://mock.local", DEMO_TOKEN, transport=httpx.MockTransport(handler), retries=0
    )
    return Connection(client, "mock")


def strict_stream() -> tuple[io.TextIOWrapper, io.BytesIO]:
    """A stream like a UTF-8 terminal's: a lone surrogate written to it raises."""
    raw = io.BytesIO()
    return io.TextIOWrapper(raw, encoding="utf-8", errors="strict", write_through=True), raw


@pytest.mark.parametrize(
    "evil", [EVIL, "\ud800", "\udfff\ud800x"], ids=["controls", "lone", "pair"]
)
async def test_status_text_shows_every_server_string_safely(evil: str) -> None:
    out, raw = strict_stream()
    code = await run_status(hostile_connection(evil), as_json=False, out=out, err=io.StringIO())
    text = raw.getvalue().decode("utf-8")
    assert code == 0  # an unknown status is not "needs attention"
    assert not RAW.search(text), [m.group() for m in RAW.finditer(text)]
    assert not any(line.startswith("FAKE") for line in text.splitlines())
    head = text.splitlines()[0]
    assert head.startswith("Beeper Desktop 9") and "mock" in head


@pytest.mark.parametrize("evil", [EVIL, "\ud800"], ids=["controls", "lone"])
async def test_status_json_escapes_every_server_string_and_keeps_it_exact(evil: str) -> None:
    out, raw = strict_stream()
    code = await run_status(hostile_connection(evil), as_json=True, out=out, err=io.StringIO())
    text = raw.getvalue().decode("utf-8")
    assert code == 0
    assert not RAW.search(text.replace("\n", " "))
    report = json.loads(text)
    (bridge,) = report["bridges"]
    assert (bridge["id"], bridge["provider"]) == (f"b{evil}", f"p{evil}")
    assert bridge["accounts"][0]["accountID"] == f"acct{evil}"


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
async def test_watch_lines_cannot_be_split_or_faked_by_server_strings(as_json: bool) -> None:
    polls = [hostile_bridges(EVIL + "\ud800"), hostile_bridges(EVIL + "\ud800")]
    polls[1]["items"][0]["accounts"][0]["status"] = "disconnected\nFAKE 2026 line"
    polls.append(polls[1])
    import httpx

    from beeper_tui.api.client import BeeperClient
    from beeper_tui.connect import Connection

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=json.dumps(polls.pop(0)).encode())

    client = BeeperClient("http://mock.local", "t", transport=httpx.MockTransport(handler))
    out, raw = strict_stream()
    sleep, _ = scripted_sleep()
    code = await run_watch(
        Connection(client, "mock"),
        as_json=as_json,
        interval=0.01,
        out=out,
        err=io.StringIO(),
        max_polls=2,
        sleep=sleep,
    )
    text = raw.getvalue().decode("utf-8")
    assert code == 0
    (state,) = text.splitlines()[:1]  # one account: one line, or one record
    (line,) = after_snapshot(text, as_json=as_json, accounts=1)  # one change, one line
    assert not RAW.search(state) and not RAW.search(line)
    if as_json:
        (account,) = json.loads(state)["accounts"]
        assert account["accountID"] == f"acct{EVIL}\ud800"  # exact, escaped
        change = json.loads(line)
        assert change["accountID"] == f"acct{EVIL}\ud800"
        assert change["to"] == "disconnected\nFAKE 2026 line"
    else:
        assert "(acct␛[2J" in state
        assert "→ disconnected FAKE 2026 line" in line


@pytest.mark.parametrize("status", [400, 403, 404, 409, 422, 429, 500])
async def test_server_error_messages_reach_stderr_on_one_safe_line(status: int) -> None:
    body = {"message": f"Bad{EVIL}\ud800", "code": f"c{EVIL}"}
    err = io.StringIO()
    conn = hostile_connection("", status=status, body=body)
    code = await run_status(conn, as_json=True, out=io.StringIO(), err=err)
    assert code == 2
    (line,) = err.getvalue().splitlines()
    assert line.startswith("beeper-tui: ") and not RAW.search(line)
    assert DEMO_TOKEN not in line
    err.getvalue().encode("utf-8")  # no lone surrogate left to fail on a terminal


async def test_watch_error_messages_are_safe_too() -> None:
    conn = hostile_connection("", status=404, body={"message": f"Gone{EVIL}"})
    err = io.StringIO()
    await run_watch(
        conn, as_json=False, interval=0.01, out=io.StringIO(), err=err, max_polls=1,
        sleep=scripted_sleep()[0],
    )  # fmt: skip
    (line,) = err.getvalue().splitlines()
    assert line.startswith("beeper-tui watch: Gone") and not RAW.search(line)
    assert "Gone␛[2J" in line and line.endswith("(retrying)")


def test_an_unexpected_failure_exits_2_with_one_line_and_no_secret(
    clean_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("token tok-never-shown in the text")

    monkeypatch.setattr("beeper_tui.status.run_status", broken)
    code = main(["status", "--demo"])
    err = capsys.readouterr().err
    assert code == 2  # never 1: that is "needs attention"
    assert err.startswith("beeper-tui: internal error (RuntimeError in broken")
    assert "tok-never-shown" not in err and "Traceback" not in err
    assert len(err.splitlines()) == 1


# --- status: the JSON schema, colour, order ------------------------------------------------------

#: The ``status --json`` schema, as the README documents it: changing it breaks scripts.
REPORT_KEYS = {"server", "summary", "bridges"}
SERVER_KEYS = {"version", "url"}
SUMMARY_KEYS = {"accounts", "needsAttention", "unknown", "working", "ok", "off"}
BRIDGE_KEYS = {
    "id", "displayName", "provider", "status", "statusText", "activeAccountCount", "accounts",
}  # fmt: skip
ACCOUNT_KEYS = {
    "accountID", "loginID", "bridge", "network", "name", "status", "health", "statusText",
    "provider",
}  # fmt: skip
#: The ``watch --json`` records, as the README documents them.
SNAPSHOT_KEYS = {"type", "time", "accounts"}
CHANGE_KEYS = {
    "type", "time", "accountID", "bridge", "name", "from", "to", "statusText", "brokenSince",
    "brokenFor",
}  # fmt: skip


async def test_status_json_keys_are_camel_case_and_stable() -> None:
    code, out, _ = await status_of(build_demo_world(), as_json=True)
    report = json.loads(out)
    assert code == 1 and set(report) == REPORT_KEYS
    assert set(report["server"]) == SERVER_KEYS and set(report["summary"]) == SUMMARY_KEYS
    assert all(set(bridge) == BRIDGE_KEYS for bridge in report["bridges"])
    entries = [a for bridge in report["bridges"] for a in bridge["accounts"]]
    assert entries and all(set(entry) == ACCOUNT_KEYS for entry in entries)
    assert {entry["health"] for entry in entries} <= SUMMARY_KEYS - {"accounts"}
    assert "needsAttention" in {entry["health"] for entry in entries}
    assert not [k for k in SUMMARY_KEYS | ACCOUNT_KEYS | BRIDGE_KEYS if " " in k or "_" in k]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


async def test_status_is_coloured_on_a_terminal_and_plain_with_no_color_or_a_pipe() -> None:
    world = build_demo_world()
    world.add_account("telegram", "666", {"id": "666", "fullName": HOSTILE_NAME})
    world.set_account_status("telegram_666", "disconnected")
    runs = {}
    for what, out, environ in (
        ("terminal", Terminal(), {}),
        ("no_color", Terminal(), {"NO_COLOR": "1"}),
        ("pipe", io.StringIO(), {}),
    ):
        conn = connect_demo(world, backoff=0.001)
        await run_status(  # a terminal wide enough for every line: only colour differs
            conn, as_json=False, out=out, err=io.StringIO(), environ=environ, columns=400
        )
        runs[what] = out.getvalue()
    assert "\x1b[1;31m✖ needs attention\x1b[0m" in runs["terminal"]
    assert "\x1b[32m✔ ok\x1b[0m" in runs["terminal"]
    for plain in (runs["no_color"], runs["pipe"]):
        assert "\x1b" not in plain and "✖ needs attention" in plain
    assert re.sub(r"\x1b\[[0-9;]*m", "", runs["terminal"]) == runs["pipe"]
    # Only our own codes: the hostile name's ESC never reaches the terminal raw.
    assert set(re.findall(r"\x1b\[[0-9;]*m", runs["terminal"])) <= {
        "\x1b[1;31m", "\x1b[33m", "\x1b[36m", "\x1b[32m", "\x1b[2m", "\x1b[0m",
    }  # fmt: skip


async def test_bridges_with_broken_accounts_come_first() -> None:
    world = build_demo_world()
    for account_id in world.accounts:
        world.set_account_status(account_id, "connected")
    world.set_account_status("telegram_528914776", "reconnect_required", "Signed out")
    _, out, _ = await status_of(world)
    order = list(blocks(out))
    assert order[0] == "telegram", order
    assert order.index("local-whatsapp") < order.index("slackgo")  # else the API's order


# --- status: wrapped to a terminal's width -------------------------------------------------------

SGR = re.compile(r"\x1b\[[0-9;]*m")
LONG_ID = "com.example.a-bridge-with-a-very-long-identifier-0001"


def long_id_world() -> World:
    """The demo plus a bridge whose ID is longer than half a narrow terminal."""
    from beeper_tui.sim.world import SimBridge

    world = build_demo_world()
    bridge = SimBridge(LONG_ID, "Longwire", "longwire", "self-hosted", network="Longwire", flows=())
    world.add_bridge(bridge)
    world.add_account(LONG_ID, "one", {"id": "one", "fullName": "Quinn Long"},
                      status="reconnect_required",
                      status_text="Signed out on " + "every device of yours " * 4)  # fmt: skip
    return world


def words(text: str) -> str:
    """The words of ``text``, one space apart (a bridge line may wrap after its "(")."""
    return " ".join(text.split()).replace("( ", "(")


def word_columns(row: str) -> set[int]:
    """The terminal columns at which a word starts in ``row``."""
    from beeper_tui.text import cell_width

    found, column, before = set(), 0, " "
    for char in row:
        if char != " " and before in " (":
            found.add(column)
        column, before = column + cell_width(char), char
    if before == "(":  # the text in the parentheses begins on the next row
        found.add(column)
    return found


async def status_on_a_terminal(world: World, columns: int) -> str:
    out = Terminal()
    await run_status(
        connect_demo(world), as_json=False, out=out, err=io.StringIO(), environ={},
        columns=columns,
    )  # fmt: skip
    return out.getvalue()


@pytest.mark.parametrize("columns", [60, 80, 100, 200])
async def test_status_on_a_terminal_wraps_at_words_under_the_text_it_continues(
    columns: int,
) -> None:
    from beeper_tui.text import cell_width

    world = long_id_world()
    wrapped = SGR.sub("", await status_on_a_terminal(world, columns))
    _, piped, _ = await status_of(world)
    rows = wrapped.splitlines()
    assert max(cell_width(row) for row in rows) <= columns
    assert words(wrapped) == words(piped)  # every word kept, in order, none cut
    assert (len(rows) > len(piped.splitlines())) == (columns < 200)
    first = ""
    for row in rows:
        if not row.startswith("   "):
            first = row
            continue
        # A continuation starts under the start of a word of the row it continues (or, for
        # a word too long for that, further left).
        indent = len(row) - len(row.lstrip())
        assert indent in word_columns(first) or indent == FALLBACK, (first, row)
    assert LONG_ID in wrapped  # an ID that fits a row is never broken
    head = next(row for row in rows if row.startswith("Longwire"))
    if columns <= 60:  # too long to follow the name: on a row of its own, whole
        assert head == "Longwire  (" and rows[rows.index(head) + 1].strip().startswith(LONG_ID)


async def test_status_on_a_terminal_keeps_the_name_column_when_there_is_room() -> None:
    world = long_id_world()
    wide = SGR.sub("", await status_on_a_terminal(world, 100)).splitlines()
    narrow = SGR.sub("", await status_on_a_terminal(world, 60)).splitlines()
    quinn = next(row for row in wide if "Quinn Long" in row)
    assert quinn.startswith("  ✖ needs attention  Quinn Long" + " " * 22 + "  reconnect_required")
    after = wide[wide.index(quinn) + 1]
    assert after.startswith(" " * 55) and after[55] != " "  # under the status column
    quinn = next(row for row in narrow if "Quinn Long" in row)
    assert quinn.startswith("  ✖ needs attention  Quinn Long  reconnect_required")
    after = narrow[narrow.index(quinn) + 1]
    assert after.startswith(" " * 21) and after[21] != " "  # under the name


async def test_several_targets_on_a_terminal_are_wrapped_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from beeper_tui.status_targets import NamedConnection, run_status_targets
    from beeper_tui.text import cell_width

    monkeypatch.setenv("COLUMNS", "60")  # what shutil.get_terminal_size reads first
    targets = [NamedConnection(name, connect_demo(long_id_world())) for name in ("home", "work")]
    out = Terminal()
    await run_status_targets(targets, as_json=False, out=out, err=io.StringIO(), environ={})
    rows = SGR.sub("", out.getvalue()).splitlines()
    assert rows[0] == "Target home" and "Target work" in rows
    assert max(cell_width(row) for row in rows) <= 60
    assert rows.count("    " + LONG_ID + " ·") == 2  # in each target's report, whole


def test_status_into_a_pipe_is_never_wrapped(
    clean_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    main(["status", "--demo"])
    out = capsys.readouterr().out
    assert "\x1b" not in out
    line = next(line for line in out.splitlines() if "مريم" in line)
    assert line.endswith("Phone offline for 14 days: scan the QR code again to reconnect")


def test_status_on_a_60_column_terminal_wraps_to_it(tmp_path: Path) -> None:
    """The real command on a pseudo-terminal 60 columns wide: coloured, and every row it
    writes fits (the terminal never has to wrap one itself)."""
    from beeper_tui.text import cell_width
    from tests.support.terminal import beeper_tui_on_a_terminal

    with beeper_tui_on_a_terminal(
        long_id_world(), "status", config_home=tmp_path, size=(60, 200)
    ) as terminal:
        assert terminal.exit_code() == 1
        terminal.settle(0.1)
    written = terminal.output.decode("utf-8")
    assert "\x1b[1;31m✖ needs attention\x1b[0m" in written
    rows = SGR.sub("", written).split("\r\n")
    assert max(cell_width(row) for row in rows) <= 60
    assert "  ✖ needs attention  مريم الحسيني  reconnect_required —" in rows
    assert "                     Phone offline for 14 days: scan the QR" in rows
    assert "    " + LONG_ID + " ·" in rows  # whole, further left than its hang


# --- The README's examples are what the commands write -------------------------------------------


def readme_json_examples() -> list[Any]:
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", readme, re.S)]


def test_the_readme_json_examples_have_the_schema_the_commands_write() -> None:
    examples = readme_json_examples()
    (report,) = [e for e in examples if isinstance(e, dict) and "summary" in e]
    (snapshot_record,) = [
        e for e in examples if isinstance(e, dict) and e.get("type") == "snapshot"
    ]
    (change,) = [e for e in examples if isinstance(e, dict) and e.get("type") == "change"]
    assert set(report) == REPORT_KEYS and set(report["server"]) == SERVER_KEYS
    assert set(report["summary"]) == SUMMARY_KEYS
    (bridge,) = report["bridges"]
    assert set(bridge) == BRIDGE_KEYS and all(set(a) == ACCOUNT_KEYS for a in bridge["accounts"])
    assert set(snapshot_record) == SNAPSHOT_KEYS and snapshot_record["type"] == "snapshot"
    assert all(set(a) == ACCOUNT_KEYS for a in snapshot_record["accounts"])
    assert set(change) == CHANGE_KEYS and change["type"] == "change"
    # The values are the demo's own: the example is what `--demo` prints.
    world = build_demo_world()
    assert report["summary"]["accounts"] == len(world.accounts)
    assert {k: v for k, v in report["summary"].items() if k != "accounts" and v} == (
        health_counts(world)
    )
    for entry in [*bridge["accounts"], *snapshot_record["accounts"]]:
        assert world.accounts[entry["accountID"]].status == entry["status"]


def test_the_options_table_of_the_readme_holds(capsys: pytest.CaptureFixture[str]) -> None:
    """``--refresh`` and ``--bell`` belong to the account manager: refused after a command
    name; the connection options stand before or after it."""
    from beeper_tui.cli import build_parser

    parser = build_parser()
    for argv in (["status", "--refresh", "5"], ["watch", "--bell"]):
        with pytest.raises(SystemExit) as refused:
            parser.parse_args(argv)
        assert refused.value.code == 2, argv
    assert "unrecognized arguments" in capsys.readouterr().err
    for command in ("status", "watch", "login"):
        extra = ["whatsapp"] if command == "login" else []
        before = parser.parse_args(["--demo", "--base-url", "http://x", command, *extra])
        after = parser.parse_args([command, *extra, "--demo", "--base-url", "http://x"])
        assert (before.demo, before.base_url) == (after.demo, after.base_url) == (True, "http://x")
    assert parser.parse_args(["--refresh", "5", "--bell"]).refresh == 5.0
