"""``beeper-tui watch``: the current state of every account, then one line per status
change, for cron jobs and monitors.

The first answer is printed as it is (one line per account; with ``--json`` one ``snapshot``
record), so a reader knows where the changes start from; from then on, each change is one line
(a ``change`` record). ``--exec`` and ``--notify`` act on changes only, never on the snapshot.
Headless (no textual). Polls ``GET /v1/bridges``; a failed poll is reported on stderr once per
outage and retried, so a monitor survives Beeper Desktop restarting.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TextIO

from beeper_tui.alerts.account_alerts import AccountAlerts
from beeper_tui.alerts.breakage import broken_time, utc_now
from beeper_tui.alerts.exec_hook import ExecHook
from beeper_tui.api.errors import BeeperError
from beeper_tui.api.models import Bridge
from beeper_tui.connect import Connection
from beeper_tui.status import account_entry, error_line
from beeper_tui.text import json_dumps, one_line

Snapshot = dict[str, dict[str, Any]]


def snapshot(bridges: list[Bridge]) -> Snapshot:
    """Every account by ID, as ``account_entry`` describes it."""
    return {a.account_id: account_entry(b, a) for b in bridges for a in b.accounts}


def timestamp(now: datetime) -> str:
    """``now`` as the records spell it: ISO 8601 in UTC to the second, ``Z``."""
    return now.isoformat(timespec="seconds").replace("+00:00", "Z")


def snapshot_record(current: Snapshot, now: datetime) -> dict[str, Any]:
    """The first ``--json`` record: every account as ``status --json`` lists it, in the API's
    order, so a script knows the state the ``change`` records start from."""
    return {"type": "snapshot", "time": timestamp(now), "accounts": list(current.values())}


def format_state(entry: dict[str, Any], time: str, target_column: str = "") -> str:
    """One account of the snapshot as one line for a person: the columns of a change line,
    with the status it has now where a change has ``from → to`` (so no arrow: a reader tells
    the two apart)."""
    text = f" — {one_line(entry['statusText'], 80)}" if entry["statusText"] else ""
    return (
        f"{time}  {target_column}{one_line(entry['bridge'], 60)}  {one_line(entry['name'], 40)} "
        f"({one_line(entry['accountID'], 80)})  {one_line(entry['status'], 40)}{text}"
    )


def changes(before: Snapshot, after: Snapshot, now: datetime) -> list[dict[str, Any]]:
    """Status changes between two snapshots; an account that appeared comes ``from`` None,
    one that went away goes ``to`` "removed"."""
    time = timestamp(now)
    found: list[dict[str, Any]] = []
    for account_id in [*after, *(k for k in before if k not in after)]:
        old, new = before.get(account_id), after.get(account_id)
        old_status = old["status"] if old else None
        new_status = new["status"] if new else "removed"
        if old_status == new_status:
            continue
        entry = new or old
        assert entry is not None
        found.append(
            {
                "type": "change",
                "time": time,
                "accountID": account_id,
                "bridge": entry["bridge"],
                "name": entry["name"],
                "from": old_status,
                "to": new_status,
                "statusText": new["statusText"] if new else None,
            }
        )
    return found


def format_change(change: dict[str, Any]) -> str:
    """One change as one line for a person. Every server value goes through
    :func:`one_line`: a newline in an ID cannot split the line into a fake second one."""
    text = f" — {one_line(change['statusText'], 80)}" if change["statusText"] else ""
    before = one_line(change["from"], 40) if change["from"] else "new"
    return (
        f"{change['time']}  {_target_column(change)}{one_line(change['bridge'], 60)}  "
        f"{one_line(change['name'], 40)} "
        f"({one_line(change['accountID'], 80)})  {before} → {one_line(change['to'], 40)}{text}"
    )


def _target_column(record: dict[str, Any]) -> str:
    """``target  `` before the bridge when the watch covers several targets, else nothing."""
    target = record.get("target")
    return f"{one_line(target, 40)}  " if target else ""


def write_snapshot(
    current: Snapshot,
    now: datetime,
    *,
    as_json: bool,
    out: TextIO,
    target: str | None = None,
) -> None:
    """The state the changes start from: one record with ``--json``, else a line per account
    (none when there are no accounts). ``target``: the record and each line name it."""
    if as_json:
        record = snapshot_record(current, now)
        if target is not None:
            record["target"] = target
        out.write(json_dumps(record) + "\n")
    else:
        time = timestamp(now)
        column = _target_column({"target": target})
        out.writelines(format_state(entry, time, column) + "\n" for entry in current.values())
    out.flush()


async def run_watch(
    conn: Connection,
    *,
    as_json: bool,
    interval: float,
    out: TextIO,
    err: TextIO = sys.stderr,
    max_polls: int | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    alerts: AccountAlerts | None = None,
    exec_hook: ExecHook | None = None,
    target: str | None = None,
) -> int:
    """Poll until interrupted (or ``max_polls``); exit 0 on Ctrl-C. The first answer is written
    as the snapshot, every later one as its changes. ``alerts`` notifies (``--notify``) and
    knows since when accounts are broken; ``exec_hook`` runs a command per change (``--exec``):
    neither acts on the snapshot. ``target``: the target's name, when the watch covers
    several (``watch_targets.py``): each record says it, and so does each error."""
    alerts = alerts or AccountAlerts(None)
    whose = f"target {target}: " if target else ""
    previous: Snapshot | None = None
    failing = False
    polls = 0
    try:
        async with conn.client as client:
            while max_polls is None or polls < max_polls:
                polls += 1
                try:
                    bridges = await client.bridges()
                except BeeperError as exc:
                    if not failing:
                        err.write(f"beeper-tui watch: {whose}{error_line(exc)} (retrying)\n")
                        err.flush()
                    failing = True
                    await sleep(min(interval * 2, 60.0))
                    continue
                if failing:
                    err.write(f"beeper-tui watch: {whose}reconnected\n")
                    err.flush()
                    failing = False
                current, breakages, now = snapshot(bridges), alerts.update(bridges), utc_now()
                if previous is None:
                    write_snapshot(current, now, as_json=as_json, out=out, target=target)
                else:
                    for change in changes(previous, current, now):
                        change |= broken_time(alerts.tracker, change["accountID"], breakages, now)
                        if target is not None:
                            change["target"] = target
                        if exec_hook is not None:
                            exec_hook.submit(change)
                        out.write(json_dumps(change) if as_json else format_change(change))
                        out.write("\n")
                    out.flush()
                previous = current
                if max_polls is None or polls < max_polls:
                    await sleep(interval)
    except (KeyboardInterrupt, asyncio.CancelledError):
        return 0
    finally:
        await alerts.drain()
        if exec_hook is not None:
            await exec_hook.drain(exec_hook.timeout)
            await exec_hook.aclose()
    return 0
