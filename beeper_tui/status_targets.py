"""``beeper-tui status`` over several Beeper Desktops (the config file's ``[targets.NAME]``).

Every target is asked at once, each on its own client; one that cannot be reached (or refuses
its token) is reported in its own group and on stderr, and never hides the others. With one
target the output is exactly ``status.py``'s. With several:

- plain text: each target's report under a ``Target NAME`` line, in the config file's order;
- ``--json``: ``{summary, unreachable, targets[]}`` — ``summary`` adds up the reachable
  targets' counts (the same keys as one target's), ``unreachable`` names the targets that could
  not be asked, and each ``targets[]`` entry is one target's report (``server``, ``summary``,
  ``bridges``, as with one target) with ``target`` (its name) and ``error`` (``null``, or why it
  could not be asked; then ``summary`` is ``null`` and ``bridges`` empty);
- exit code: 2 when any target could not be asked, else 1 when any account needs attention,
  else 0.

Headless (no textual).
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from beeper_tui import status
from beeper_tui.api.errors import BeeperError
from beeper_tui.api.models import Health
from beeper_tui.connect import NamedConnection
from beeper_tui.status import (
    EXIT_ATTENTION,
    EXIT_ERROR,
    EXIT_OK,
    HEALTH_KEYS,
    build_report,
    error_line,
    render_text,
    wants_colour,
)
from beeper_tui.text import json_dumps, one_line

__all__ = ["NamedConnection", "combined_report", "render_targets", "run_status_targets"]


async def _report(target: NamedConnection) -> dict[str, Any]:
    """One target's report with its name, or its error in place of the data."""
    conn = target.connection
    try:
        async with conn.client as client:
            bridges = await client.bridges()
            version = client.server_version
    except BeeperError as exc:
        return {
            "target": target.name,
            "error": error_line(exc),
            "server": {"version": None, "url": conn.label},
            "summary": None,
            "bridges": [],
        }
    return {"target": target.name, "error": None, **build_report(bridges, version, conn.label)}


def combined_report(reports: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The ``--json`` document of several targets (see the module docstring)."""
    totals: Counter[str] = Counter()
    for report in reports:
        totals.update(report["summary"] or {})
    keys = ["accounts", *HEALTH_KEYS.values()]
    return {
        "summary": {key: totals.get(key, 0) for key in keys},
        "unreachable": [r["target"] for r in reports if r["error"] is not None],
        "targets": list(reports),
    }


def render_targets(
    reports: Sequence[dict[str, Any]], *, colour: bool = False, width: int | None = None
) -> str:
    """Each target's report for a person, under a line naming the target; ``width`` wraps
    each report as :func:`render_text` does."""
    groups = []
    for report in reports:
        head = f"Target {one_line(report['target'], 40)}"
        if report["error"] is not None:
            url = one_line(report["server"]["url"], 120)
            groups.append(f"{head}\nBeeper Desktop at {url}: {report['error']}\n")
        else:
            groups.append(f"{head}\n{render_text(report, colour=colour, width=width)}")
    return "\n".join(groups)


async def run_status_targets(
    targets: Sequence[NamedConnection],
    *,
    as_json: bool,
    out: TextIO,
    err: TextIO,
    environ: Mapping[str, str] | None = None,
) -> int:
    """``status`` over ``targets``: one alone prints as ever; several are asked together."""
    if len(targets) == 1:
        only = targets[0].connection  # status.run_status looked up now: tests replace it
        return await status.run_status(only, as_json=as_json, out=out, err=err, environ=environ)
    reports = await asyncio.gather(*(_report(target) for target in targets))
    for report in reports:
        if report["error"] is not None:
            err.write(f"beeper-tui: target {report['target']}: {report['error']}\n")
    combined = combined_report(reports)
    if as_json:
        out.write(json_dumps(combined, indent=2) + "\n")
    else:
        environ = os.environ if environ is None else environ
        colour, width = wants_colour(out, environ), status.wrap_width(out)
        out.write(render_targets(reports, colour=colour, width=width))
    if combined["unreachable"]:
        return EXIT_ERROR
    attention = combined["summary"][HEALTH_KEYS[Health.ATTENTION]]
    return EXIT_ATTENTION if attention else EXIT_OK
