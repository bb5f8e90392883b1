"""Where the test suite waits instead of working: each test's wall time against its CPU time.

    .venv/bin/python benchmarks/suite_idle.py [--top 20] [--json FILE] [pytest args...]

Runs pytest in this process (serially, as the README's command does) with a small plugin that
times every test's whole protocol (setup, call and teardown): wall time, this process's CPU time
(``time.process_time``), the CPU time of child processes it reaped (``RUSAGE_CHILDREN``: the
``beeper-tui`` processes some tests start) and, where Linux tells it (``/proc/self/schedstat``),
the time the main thread was ready to run but another program held the CPU (``queued``: on a
machine other work shares, that is not the suite's doing). ``idle`` is wall minus all three:
time the suite spent waiting on real time (a sleep, a timer, a timeout, Textual's pilot
waiting for the app to be idle, another process starting). It prints the suite's totals and
the tests that idled most. Issue 8 asks for the suite's wall time close to its CPU time. Not
a test.

Arguments it does not know go to pytest (``tests/test_wizard_exits.py``, ``-k qr``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Generator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass
class TestTime:
    """One test's whole protocol, in seconds."""

    test: str
    wall: float
    cpu: float
    children: float
    queued: float

    @property
    def idle(self) -> float:
        return self.wall - self.cpu - self.children - self.queued


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


SCHEDSTAT = Path("/proc/self/schedstat")


def _queued() -> float:
    """Seconds the main thread has waited for a CPU while ready to run (0 where unknown)."""
    try:
        return int(SCHEDSTAT.read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def _now() -> tuple[float, float, float, float]:
    return time.perf_counter(), time.process_time(), _children_cpu(), _queued()


class IdleRecorder:
    """The pytest plugin: one :class:`TestTime` per test run."""

    def __init__(self) -> None:
        self.times: list[TestTime] = []
        self.started = _now()
        self.finished = self.started
        self.load = (os.getloadavg()[0], 0.0)
        """The machine's load average (1 min) as the run began and as it ended."""

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, Any, None]:
        before = _now()
        yield
        spent = (b - a for a, b in zip(before, _now(), strict=True))
        self.times.append(TestTime(item.nodeid, *spent))

    def pytest_sessionfinish(self) -> None:
        self.finished = _now()
        self.load = (self.load[0], os.getloadavg()[0])


def report(recorder: IdleRecorder, top: int) -> str:
    wall, cpu, children, queued = (
        b - a for a, b in zip(recorder.started, recorder.finished, strict=True)
    )
    idle = wall - cpu - children - queued
    in_tests = sum(t.idle for t in recorder.times)
    lines = [
        f"suite: {len(recorder.times)} tests, wall {wall:.1f} s, CPU {cpu:.1f} s "
        f"(+ {children:.1f} s in child processes), queued for a CPU {queued:.1f} s, "
        f"idle {idle:.1f} s ({in_tests:.1f} s of it inside tests); "
        f"wall/CPU {wall / max(cpu + children, 1e-9):.2f}; load average "
        f"{recorder.load[0]:.2f} as it began, {recorder.load[1]:.2f} as it ended",
        f"the {top} tests that idled most (seconds):",
        f"{'idle':>6} {'wall':>6} {'cpu':>6} {'child':>6} {'queued':>6}  test",
    ]
    for t in sorted(recorder.times, key=lambda t: t.idle, reverse=True)[:top]:
        lines.append(
            f"{t.idle:6.2f} {t.wall:6.2f} {t.cpu:6.2f} {t.children:6.2f} {t.queued:6.2f}  {t.test}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=20, help="how many tests to list")
    parser.add_argument("--json", type=Path, help="also write every test's times here")
    options, pytest_args = parser.parse_known_args()
    recorder = IdleRecorder()
    code = pytest.main(["-p", "no:randomly", *pytest_args], plugins=[recorder])
    print()
    print(report(recorder, options.top))
    if options.json:
        rows = [asdict(t) | {"idle": t.idle} for t in recorder.times]
        options.json.write_text(json.dumps(rows, indent=1))
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
