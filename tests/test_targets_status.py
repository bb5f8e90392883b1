"""``status`` and ``watch`` over several Beeper Desktops: every target in one report, each
named; one offline never hides the others; the exit code counts every target."""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from beeper_tui.cli import main
from beeper_tui.connect import connect_demo
from beeper_tui.sim import World, build_demo_world
from beeper_tui.sim.serve import running_server
from beeper_tui.status import run_status
from beeper_tui.status_targets import NamedConnection, run_status_targets
from beeper_tui.watch_targets import run_watch_targets

BROKEN = "local-whatsapp_ba_EvYDBBsZbRQAy3UOSWqG0LuTVkc"  # connected in the demo


def all_fine(world: World) -> World:
    for account_id in world.accounts:
        world.set_account_status(account_id, "connected")
    return world


def named(**worlds: World) -> list[NamedConnection]:
    return [
        NamedConnection(name, connect_demo(world, backoff=0.001)) for name, world in worlds.items()
    ]


def offline(world: World) -> World:
    world.faults.add("status", path="/v1/bridges", status=503, times=1000)
    return world


async def status(targets: list[NamedConnection], as_json: bool = False) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = await run_status_targets(targets, as_json=as_json, out=out, err=err, environ={})
    return code, out.getvalue(), err.getvalue()


# --- status --------------------------------------------------------------------------------------


async def test_one_target_prints_exactly_as_before() -> None:
    for as_json in (False, True):
        world = build_demo_world()
        before_out, before_err = io.StringIO(), io.StringIO()
        code = await run_status(
            connect_demo(world), as_json=as_json, out=before_out, err=before_err, environ={}
        )
        assert await status(named(default=world), as_json) == (
            code,
            before_out.getvalue(),
            before_err.getvalue(),
        )


async def test_text_groups_by_target_and_one_offline_hides_nothing() -> None:
    home, work = build_demo_world(), offline(build_demo_world())
    home.add_account("telegram", "777", {"id": "777", "fullName": "Only At Home"})
    code, out, err = await status(named(home=home, work=work))
    assert code == 2  # a target that could not be asked
    home_part, work_part = out.split("\nTarget work\n")
    assert home_part.startswith("Target home\nBeeper Desktop ")
    assert "Only At Home" in home_part and f"{len(home.accounts)} accounts" in home_part
    assert work_part.startswith("Beeper Desktop at embedded demo: ")
    assert "Only At Home" not in work_part
    assert err.startswith("beeper-tui: target work: ") and err.count("\n") == 1


async def test_json_groups_by_target_and_sums_the_reachable_ones() -> None:
    home, work, gone = build_demo_world(), all_fine(build_demo_world()), offline(build_demo_world())
    code, out, _ = await status(named(home=home, work=work, gone=gone), as_json=True)
    report = json.loads(out)
    assert code == 2
    assert set(report) == {"summary", "unreachable", "targets"}
    assert report["unreachable"] == ["gone"]
    assert [t["target"] for t in report["targets"]] == ["home", "work", "gone"]
    home_report, work_report, gone_report = report["targets"]
    assert set(home_report) == {"target", "error", "server", "summary", "bridges"}
    assert home_report["error"] is None and work_report["summary"]["needsAttention"] == 0
    assert gone_report["summary"] is None and gone_report["bridges"] == []
    assert gone_report["error"]
    total = len(home.accounts) + len(work.accounts)
    assert report["summary"]["accounts"] == total
    assert report["summary"]["needsAttention"] == home_report["summary"]["needsAttention"] > 0


@pytest.mark.parametrize(("broken_at", "expected"), [(None, 0), ("home", 1), ("work", 1)], ids=str)
async def test_exit_code_counts_every_target(broken_at: str | None, expected: int) -> None:
    worlds = {"home": all_fine(build_demo_world()), "work": all_fine(build_demo_world())}
    if broken_at is not None:
        worlds[broken_at].set_account_status(BROKEN, "reconnect_required", "Phone offline")
    code, out, err = await status(named(**worlds))
    assert (code, err) == (expected, "")
    assert out.count("Target ") == 2


async def test_a_target_refusing_its_token_is_its_own_error() -> None:
    home, work = build_demo_world(), build_demo_world()
    targets = named(home=home, work=work)
    targets[1].connection.client.set_token("not-the-right-token-1234")
    code, out, err = await status(targets, as_json=True)
    report = json.loads(out)
    assert code == 2 and report["unreachable"] == ["work"]
    assert report["targets"][0]["summary"]["accounts"] == len(home.accounts)
    assert "not-the-right-token" not in out + err


# --- watch ---------------------------------------------------------------------------------------


def scripted_sleep(*steps: Callable[[], None] | None) -> Callable[[float], object]:
    """A sleep that runs the next step on each call (shared by every target's watch: calls
    1 and 2 come after both targets' first polls, 3 and 4 after their second)."""
    pending = list(steps)

    async def sleep(seconds: float) -> None:
        step = pending.pop(0) if pending else None
        if step is not None:
            step()

    return sleep


async def test_watch_names_the_target_of_each_change_and_survives_one_offline() -> None:
    home, work = build_demo_world(), build_demo_world()

    def break_one_at_home() -> None:
        home.set_account_status(BROKEN, "reconnect_required", "Phone offline")

    def take_work_away() -> None:
        work.faults.add("status", path="/v1/bridges", status=503, times=1000)

    out, err = io.StringIO(), io.StringIO()
    sleep = scripted_sleep(None, break_one_at_home, None, take_work_away)
    code = await run_watch_targets(
        named(home=home, work=work),
        as_json=True,
        interval=0.01,
        out=out,
        err=err,
        max_polls=3,
        sleep=sleep,  # type: ignore[arg-type]
    )
    assert code == 0
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    snapshots = [r for r in records if r["type"] == "snapshot"]
    assert sorted(r["target"] for r in snapshots) == ["home", "work"]
    changes = [r for r in records if r["type"] == "change"]
    assert [(c["target"], c["accountID"], c["to"]) for c in changes] == [
        ("home", BROKEN, "reconnect_required")
    ]
    assert err.getvalue().startswith("beeper-tui watch: target work: ")


async def test_watch_text_lines_show_the_target_after_the_time() -> None:
    home, work = build_demo_world(), build_demo_world()
    sleep = scripted_sleep(None, lambda: work.set_account_status(BROKEN, "disconnected"))
    out = io.StringIO()
    await run_watch_targets(
        named(home=home, work=work),
        as_json=False,
        interval=0.01,
        out=out,
        max_polls=2,
        sleep=sleep,  # type: ignore[arg-type]
    )
    lines = out.getvalue().splitlines()
    changes = [line for line in lines if "→" in line]
    assert len(changes) == 1
    state_targets = {line.split("  ")[1] for line in lines if "→" not in line}
    assert state_targets == {"home", "work"}  # the state at start names the target too
    time, target, bridge, *_ = changes[0].split("  ")
    assert time.endswith("Z")
    assert (target, bridge) == ("work", "local-whatsapp")


# --- The command, over loopback ------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_status_command_covers_every_configured_target(
    world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import os

    path = Path(os.environ["XDG_CONFIG_HOME"]) / "beeper-tui" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    with running_server(world) as served:
        path.write_text(
            f'[targets.home]\nbase_url = "{served}"\n[targets.home.auth]\n'
            f'token = "{world.token}"\n\n'
            f'[targets.away]\nbase_url = "http://127.0.0.1:{closed_port()}"\n'
            f'[targets.away.auth]\ntoken = "{world.token}"\n'
        )
        code = main(["status", "--json"])
        out, err = capsys.readouterr()
        assert code == 2
        report = json.loads(out)
        assert report["unreachable"] == ["away"]
        assert report["targets"][0]["summary"]["accounts"] == len(world.accounts)
        assert "target away: " in err and world.token not in out + err

        assert main(["status", "--target", "home"]) == 1  # narrowed: the demo has broken ones
        out, _ = capsys.readouterr()
        assert "Target " not in out and served in out
