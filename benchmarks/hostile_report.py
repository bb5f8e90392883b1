"""The figures of issue 11 in one run: the hostile-text, contract-fuzz, fault-matrix and
terminal-ending suites, and what they found.

    .venv/bin/python benchmarks/hostile_report.py [--json]

Runs the four suites in this process (pytest, the project's own settings) and prints:

- cases tried: test items of the hostile and terminal suites, plus every generated answer of
  the fuzz (valid and mutated) and every fault × action of the matrix;
- tracebacks: exceptions other than a ``BeeperError`` that escaped a call or a command, and
  failed tests whose error was no assertion;
- sessions leaked: login sessions still open on the simulator after the app ended;
- raw escapes: server characters or escape sequences that reached a terminal, a pipe or
  stderr raw;
- token sightings: the access token in an error message, its repr or its body.

Exit 0 when every figure but the first is 0 and every test passed. Not a test itself.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUITES = (
    "tests/test_hostile_text.py",
    "tests/test_contract_fuzz.py",
    "tests/test_fault_matrix.py",
    "tests/test_terminal_closes.py",
)


class Outcomes:
    """A pytest plugin that keeps each test's outcome and, for a failure, what raised."""

    def __init__(self) -> None:
        self.passed = 0
        self.failed: list[tuple[str, str]] = []
        self.skipped: list[tuple[str, str]] = []

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.when == "call" and report.passed:
            self.passed += 1
        elif report.failed:
            crash = getattr(report.longrepr, "reprcrash", None)
            self.failed.append((report.nodeid, crash.message if crash else str(report.longrepr)))
        elif report.skipped and report.when in ("setup", "call"):
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
            self.skipped.append((report.nodeid, str(reason)))


def tally(module: str) -> dict[str, int]:
    found = sys.modules.get(module)
    return dict(getattr(found, "TALLY", {}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    outcomes = Outcomes()
    started = time.perf_counter()
    code = pytest.main(
        ["-q", "-p", "no:randomly", "-p", "no:cacheprovider", *(str(ROOT / s) for s in SUITES)],
        plugins=[outcomes],
    )
    seconds = time.perf_counter() - started
    hostile = tally("tests.test_hostile_text")
    fuzz = tally("tests.test_contract_fuzz")
    matrix = tally("tests.test_fault_matrix")
    ending = tally("tests.test_terminal_closes")
    not_asserted = [f for f in outcomes.failed if not f[1].startswith("AssertionError")]
    figures = {
        "cases tried": hostile.get("cases", 0)
        + fuzz.get("valid", 0)
        + fuzz.get("mutated", 0)
        + matrix.get("cases", 0)
        + ending.get("cases", 0),
        "tracebacks": fuzz.get("tracebacks", 0) + matrix.get("tracebacks", 0) + len(not_asserted),
        "sessions leaked": hostile.get("leaked", 0) + ending.get("leaked", 0),
        "raw escapes": hostile.get("raw", 0),
        "token sightings": fuzz.get("token", 0) + matrix.get("token", 0) + hostile.get("token", 0),
    }
    print()
    print(f"issue 11 figures ({seconds:.0f} s):")
    for name, value in figures.items():
        print(f"  {name:16} {value:>7}")
    print(
        f"  of which: hostile-text checks {hostile.get('cases', 0)}, fuzz answers "
        f"{fuzz.get('valid', 0)} valid + {fuzz.get('mutated', 0)} mutated, fault × action "
        f"{matrix.get('cases', 0)} (recovered {matrix.get('recovered', 0)}), ways a terminal "
        f"ends a login {ending.get('cases', 0)}"
    )
    print(f"  tests: {outcomes.passed} passed, {len(outcomes.failed)} failed, "
          f"{len(outcomes.skipped)} skipped")  # fmt: skip
    for nodeid, reason in outcomes.skipped[:5]:
        print(f"  SKIPPED {nodeid}: {reason}")
    for nodeid, message in outcomes.failed:
        print(f"  FAILED {nodeid}: {message[:200]}")
    if args.json:
        print(json.dumps(figures))
    clean = all(value == 0 for name, value in figures.items() if name != "cases tried")
    return 0 if code == 0 and clean and not outcomes.skipped else 1


if __name__ == "__main__":
    raise SystemExit(main())
