"""``beeper-tui watch`` over several Beeper Desktops (the config file's ``[targets.NAME]``).

Each target is watched on its own client, all at once (:func:`~beeper_tui.watch.run_watch`
per target): one that goes away is reported (``target NAME: …``) and retried without holding
up the others. With several targets every record carries ``target`` (its name) and each plain
line shows it after the time; with one the output is exactly ``watch.py``'s. Each target keeps
its own ``--notify`` state (account IDs are only unique within one Beeper Desktop); ``--exec``
is one command for all. Headless (no textual).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import TextIO

from beeper_tui.alerts.account_alerts import AccountAlerts
from beeper_tui.alerts.exec_hook import ExecHook
from beeper_tui.connect import NamedConnection
from beeper_tui.watch import run_watch


async def run_watch_targets(
    targets: Sequence[NamedConnection],
    *,
    as_json: bool,
    interval: float,
    out: TextIO,
    err: TextIO = sys.stderr,
    max_polls: int | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    alerts: AccountAlerts | None = None,
    exec_hook: ExecHook | None = None,
) -> int:
    """Watch every target until interrupted (or ``max_polls`` each); exit 0 on Ctrl-C.
    ``alerts``' notifier tells of every target's accounts, each target tracked apart."""

    def watch(
        target: NamedConnection, alerts: AccountAlerts | None, name: str | None
    ) -> Awaitable[int]:
        return run_watch(
            target.connection,
            as_json=as_json,
            interval=interval,
            out=out,
            err=err,
            max_polls=max_polls,
            sleep=sleep,
            alerts=alerts,
            exec_hook=exec_hook,
            target=name,
        )

    if len(targets) == 1:
        return await watch(targets[0], alerts, None)
    notifier = alerts.notifier if alerts is not None else None
    codes = await asyncio.gather(
        *(watch(target, AccountAlerts(notifier), target.name) for target in targets)
    )
    return max(codes)
