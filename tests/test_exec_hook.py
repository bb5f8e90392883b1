"""``watch --exec CMD``: the change reaches the command as JSON on stdin; a failing or slow
command is reported on stderr and the runs go on; runs never pile up without bound."""

from __future__ import annotations

import asyncio
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from beeper_tui.alerts.exec_hook import ExecHook
from beeper_tui.login_leftovers import process_running

CHANGE = {"accountID": "alice", "from": "connected", "to": "reconnect_required"}
PY = sys.executable


def write_stdin_to(path: Path) -> str:
    """A command that appends what it read on stdin to ``path``."""
    return f"{PY} -c \"import sys; open({str(path)!r}, 'a').write(sys.stdin.read())\""


async def test_each_change_reaches_the_command_as_json_on_stdin(tmp_path: Path) -> None:
    out = tmp_path / "seen.ndjson"
    hook = ExecHook(write_stdin_to(out), err=io.StringIO())
    hook.submit(CHANGE)
    hook.submit(CHANGE | {"accountID": "bob", "name": "Bob\x1b[31m"})
    await hook.drain(10)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["accountID"] for r in records] == ["alice", "bob"]
    assert records[1]["name"] == "Bob\x1b[31m"  # exact for the script…
    assert "\x1b" not in out.read_text()  # …and escaped on the wire (text.json_dumps)
    assert (hook.runs, hook.failures) == (2, 0)


async def test_a_failing_command_is_reported_cleanly_and_the_next_change_still_runs(
    tmp_path: Path,
) -> None:
    err = io.StringIO()
    out = tmp_path / "seen.ndjson"
    script = tmp_path / "flaky.py"
    script.write_text(
        "import json, sys\n"
        "change = json.load(sys.stdin)\n"
        "if change['accountID'] == 'alice':\n"
        "    sys.stderr.write('ntfy: topic refused\\x1b[2J\\n'); sys.exit(3)\n"
        f"open({str(out)!r}, 'a').write(change['accountID'])\n"
    )
    hook = ExecHook(f"{PY} {script}", err=err)
    hook.submit(CHANGE)
    hook.submit(CHANGE | {"accountID": "bob"})
    await hook.drain(10)
    assert out.read_text() == "bob"
    report = err.getvalue()
    assert "exited with status 3" in report and "ntfy: topic refused" in report
    assert "\x1b" not in report
    assert (hook.runs, hook.failures) == (2, 1)


async def until(condition: Callable[[], object], what: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


def started_in_the_background(pids: Path) -> str:
    """A shell command that starts a child that would run for 30 s, writes its pid to
    ``pids`` and waits for it: killing only the shell would leave the child running."""
    return f"sleep 30 & echo $! >> {pids}; wait"


async def test_a_slow_command_is_stopped_at_the_timeout_and_reported(tmp_path: Path) -> None:
    err = io.StringIO()
    pids = tmp_path / "pids"
    hook = ExecHook(started_in_the_background(pids), timeout=0.3, err=err)
    started = time.monotonic()
    hook.submit(CHANGE)
    hook.submit(CHANGE | {"accountID": "bob"})
    await hook.drain(10)
    assert time.monotonic() - started < 5
    assert err.getvalue().count("took longer than 0.3 s and was stopped") == 2
    children = [int(pid) for pid in pids.read_text().split()]
    assert len(children) == 2
    await until(
        lambda: not any(process_running(pid) for pid in children), "what they started to end"
    )


async def test_submit_never_waits_and_runs_do_not_pile_up(tmp_path: Path) -> None:
    err = io.StringIO()
    hook = ExecHook(f"{PY} -c 'import time; time.sleep(0.2)'", max_waiting=2, err=err)
    started = time.monotonic()
    for i in range(6):
        hook.submit(CHANGE | {"accountID": f"acct{i}"})
    assert time.monotonic() - started < 0.1  # the watch never waits for the command
    await asyncio.sleep(0)  # the first run has begun and left the queue
    await hook.drain(10)
    assert hook.dropped >= 3 and hook.runs + hook.dropped == 6
    assert "changes are already waiting for the command" in err.getvalue()


async def test_a_command_that_cannot_start_is_reported() -> None:
    err = io.StringIO()
    hook = ExecHook("/nonexistent/notify-me", err=err)
    hook.submit(CHANGE)
    await hook.drain(10)
    assert hook.failures == 1 and "exited with status 127" in err.getvalue()


async def test_closing_kills_a_run_under_way(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    hook = ExecHook(started_in_the_background(pids), err=io.StringIO())
    hook.submit(CHANGE)
    await until(lambda: pids.exists() and pids.read_text().strip(), "the run to start its child")
    await hook.aclose()
    (child,) = (int(pid) for pid in pids.read_text().split())
    await until(lambda: not process_running(child), "the run's child to end")
    assert hook.runs == 1
