"""``watch --notify`` and ``watch --exec``, driven against the simulator: a notification per
account that breaks and comes back (none at start, none for an outage, none while a row stays
broken), ``brokenSince``/``brokenFor`` in every ``--json`` record, and the command run per
change even when it fails."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from beeper_tui.alerts.account_alerts import AccountAlerts
from beeper_tui.alerts.desktop import Notification
from beeper_tui.alerts.exec_hook import ExecHook
from beeper_tui.connect import connect_demo
from beeper_tui.sim import World, build_demo_world
from beeper_tui.watch import run_watch
from tests.test_status_cli import after_snapshot

ALICE = "local-whatsapp_ba_EvYDBBsZbRQAy3UOSWqG0LuTVkc"  # connected in the demo
WAITING = "local-whatsapp_ba_Qm9uZGF5TW9ybmluZ0NvZmZlZQ"  # reconnect_required in the demo


class RecordingNotifier:
    """Stands in for the desktop: keeps what it was asked to show."""

    def __init__(self) -> None:
        self.shown: list[Notification] = []

    def send(self, note: Notification) -> str:
        self.shown.append(note)
        return "recorded"


def between_polls(*steps: Callable[[], Any]) -> Callable[[float], Any]:
    queue = list(steps)

    async def sleep(seconds: float) -> None:
        if queue:
            queue.pop(0)()

    return sleep


async def watch(world: World, *steps: Callable[[], Any], **options: Any) -> tuple[str, str]:
    """``watch --json`` over ``world``, playing ``steps`` between polls: the change records
    (after the snapshot of every account, checked) and stderr."""
    out, err = io.StringIO(), io.StringIO()
    accounts = len(world.accounts)
    await run_watch(
        connect_demo(world, backoff=0.001, retries=0),
        as_json=True,
        interval=0.01,
        out=out,
        err=err,
        max_polls=len(steps) + 1,
        sleep=between_polls(*steps),
        **options,
    )
    records = after_snapshot(out.getvalue(), as_json=True, accounts=accounts)
    return "\n".join(records), err.getvalue()


def nothing() -> None:
    return None


async def test_notify_tells_once_when_an_account_breaks_and_once_when_it_is_back() -> None:
    world = build_demo_world()
    recorder = RecordingNotifier()
    out, _ = await watch(
        world,
        lambda: world.set_account_status(ALICE, "reconnect_required", "Phone offline"),
        nothing,  # stays broken
        lambda: world.set_account_status(ALICE, "connecting"),
        lambda: world.set_account_status(ALICE, "reconnect_required", "Phone offline again"),
        lambda: world.set_account_status(ALICE, "connected"),
        alerts=AccountAlerts(recorder),
    )
    titles = [note.title for note in recorder.shown]
    assert len(titles) == 2, titles
    assert titles[0].endswith("needs attention") and recorder.shown[0].body == "Phone offline"
    assert titles[1].endswith("is back")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["to"] for r in records] == [
        "reconnect_required",
        "connecting",
        "reconnect_required",
        "connected",
    ]
    assert records[0]["brokenFor"] == 0 and records[0]["brokenSince"].endswith("Z")
    assert len({r["brokenSince"] for r in records}) == 1  # one breakage, from the first poll
    assert records[-1]["brokenFor"] >= 0  # how long it was broken, the poll it came back


async def test_after_an_outage_only_what_changed_meanwhile_is_told() -> None:
    world = build_demo_world()
    recorder = RecordingNotifier()

    def outage() -> None:  # Beeper Desktop goes away; meanwhile one account breaks
        world.faults.add("status", path="/v1/bridges", status=503, times=3)
        world.set_account_status(ALICE, "reconnect_required", "Phone offline")

    _, err = await watch(
        world,
        outage,
        nothing,
        nothing,
        nothing,
        alerts=AccountAlerts(recorder),
    )
    assert "retrying" in err and "reconnected" in err
    # Nothing at start, and after the outage only Alice: the demo's other broken accounts
    # were broken before it too.
    assert [note.body for note in recorder.shown] == ["Phone offline"]


async def test_json_records_keep_their_shape_and_say_since_when_broken() -> None:
    world = build_demo_world()
    out, _ = await watch(
        world,
        lambda: world.set_account_status(WAITING, "connected"),
        lambda: world.set_account_status(ALICE, "disconnected"),
    )
    back, broke = (json.loads(line) for line in out.splitlines())
    documented = {"type", "time", "accountID", "bridge", "name", "from", "to", "statusText"}
    assert documented | {"brokenSince", "brokenFor"} == set(back) == set(broke)
    assert back["accountID"] == WAITING and back["brokenSince"] is not None
    assert broke["accountID"] == ALICE and broke["brokenFor"] == 0


async def test_exec_runs_per_change_and_a_failing_command_never_stops_the_watch(
    tmp_path: Path,
) -> None:
    world = build_demo_world()
    seen = tmp_path / "seen"
    script = tmp_path / "hook.py"
    script.write_text(
        "import json, sys\n"
        "change = json.load(sys.stdin)\n"
        f"open({str(seen)!r}, 'a').write(change['to'] + '\\n')\n"
        "sys.exit(1 if change['to'] == 'disconnected' else 0)\n"
    )
    hook = ExecHook(f"{sys.executable} {script}", timeout=5)
    out, _ = await watch(
        world,
        lambda: world.set_account_status(ALICE, "disconnected"),
        lambda: world.set_account_status(ALICE, "connected"),
        lambda: world.set_account_status(ALICE, "reconnect_required"),
        exec_hook=hook,
    )
    assert len(out.splitlines()) == 3  # the watch went on after the failure
    assert seen.read_text().split() == ["disconnected", "connected", "reconnect_required"]
    assert (hook.runs, hook.failures) == (3, 1)


async def test_the_snapshot_runs_no_command_and_tells_no_notification(tmp_path: Path) -> None:
    """The demo starts with broken accounts: the snapshot lists them, but neither ``--exec``
    nor ``--notify`` acts on the state at start, only on the change that follows."""
    world = build_demo_world()
    seen = tmp_path / "seen"
    hook = ExecHook(f"{sys.executable} -c \"import sys; open({str(seen)!r}, 'a')"
                    f".write(sys.stdin.read())\"", timeout=5)  # fmt: skip
    recorder = RecordingNotifier()
    out = io.StringIO()
    await run_watch(
        connect_demo(world, backoff=0.001, retries=0),
        as_json=False,
        interval=0.01,
        out=out,
        max_polls=3,
        sleep=between_polls(
            nothing, lambda: world.set_account_status(ALICE, "reconnect_required", "Gone")
        ),
        alerts=AccountAlerts(recorder),
        exec_hook=hook,
    )
    (change,) = after_snapshot(out.getvalue(), as_json=False, accounts=len(world.accounts))
    assert f"({WAITING})  reconnect_required" in out.getvalue()  # broken at start: listed
    assert f"({ALICE})  connected → reconnect_required" in change
    assert hook.runs == 1 and [note.body for note in recorder.shown] == ["Gone"]
    record = json.loads(seen.read_text())  # one change: one JSON document
    assert (record["type"], record["accountID"]) == ("change", ALICE)


def test_notify_setting_in_the_config_file_turns_notifications_on() -> None:
    import argparse

    from beeper_tui.cli.connections import notify_wanted
    from beeper_tui.config import ConfigError
    from beeper_tui.config_file import config_path

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    asked = argparse.Namespace(notify=True)
    quiet = argparse.Namespace(notify=False)
    assert notify_wanted(asked) and not notify_wanted(quiet)
    path.write_text("notify = true\n")
    assert notify_wanted(quiet)
    path.write_text("notify = false\n")
    assert not notify_wanted(quiet)
    path.write_text('notify = "yes"\n')
    with pytest.raises(ConfigError) as refused:
        notify_wanted(quiet)
    assert "notify" in str(refused.value) and "line 1" in str(refused.value)


def test_notify_is_taken_before_or_after_the_watch_command() -> None:
    from beeper_tui.cli import build_parser
    from beeper_tui.cli.connections import notify_wanted

    parser = build_parser()
    for argv in (["--notify", "watch"], ["watch", "--notify"]):
        assert notify_wanted(parser.parse_args(argv)), argv
    assert not parser.parse_args(["watch"]).notify
