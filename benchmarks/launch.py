"""Launch → accounts painted, and peak memory, against a bare Textual app's launch → first paint.

    .venv/bin/python benchmarks/launch.py [--runs 5]

Each measurement is a fresh Python process (imports included), headless at 120×40: the bare
app paints one Static; beeper-tui paints its accounts screen over the embedded simulator with
the demo world, and with 300 and 2 000 extra accounts. Time runs from spawning the process to
the first screen update that shows the accounts; peak RSS is ``ru_maxrss`` in the child.
Runs interleave so every kind sees the same machine load. Prints medians and their ratio to
the bare app; the targets are ≤ 1.3× for both. Not a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.3
KINDS = {"bare": None, "demo": 0, "300": 300, "2000": 2000}

CHILD = """\
import resource, sys, time
sys.path.insert(0, {root!r})
kind, extra = {kind!r}, {extra!r}

def report(app):
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("PAINTED", time.time(), rss_kb, flush=True)
    app.exit()

if kind == "bare":
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("Hello")

        def on_mount(self):
            self.call_after_refresh(report, self)

    Bare().run(headless=True, size=(120, 40))
else:
    import beeper_tui.cli  # the console script's own start-up path, first
    from beeper_tui.connect import connect_demo
    from beeper_tui.sim import build_demo_world
    from beeper_tui.tui.app import BeeperApp
    from beeper_tui.tui.screens.accounts import AccountsScreen

    shown = AccountsScreen._apply

    def apply_then_report(self, bridges, version):
        first = not self._loaded
        shown(self, bridges, version)
        if first:
            self.call_after_refresh(report, self.app)

    AccountsScreen._apply = apply_then_report
    world = build_demo_world(extra_accounts=extra)
    BeeperApp(connect_demo(world)).run(headless=True, size=(120, 40))
"""


def measure(kind: str) -> tuple[float, float]:
    """(seconds from spawn to painted, peak RSS in MiB) of one fresh process."""
    code = CHILD.format(root=str(ROOT), kind=kind, extra=KINDS[kind])
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("PAINTED")), None)
    if line is None:
        raise SystemExit(f"{kind}: no paint reported\n{result.stderr[-2000:]}")
    _, painted, rss_kb = line.split()
    return float(painted) - started, int(rss_kb) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    memory: dict[str, list[float]] = {kind: [] for kind in KINDS}
    measure("bare")  # warm the file cache
    for _ in range(args.runs):
        for kind in KINDS:
            seconds, mib = measure(kind)
            times[kind].append(seconds)
            memory[kind].append(mib)
    base_time = statistics.median(times["bare"])
    base_rss = statistics.median(memory["bare"])
    figures = {}
    print(f"{'':8} {'launch→paint (median)':>22} {'ratio':>6}   {'peak RSS':>9} {'ratio':>6}")
    for kind in KINDS:
        seconds, mib = statistics.median(times[kind]), statistics.median(memory[kind])
        figures[kind] = {
            "seconds": round(seconds, 3),
            "time_ratio": round(seconds / base_time, 2),
            "rss_mib": round(mib, 1),
            "rss_ratio": round(mib / base_rss, 2),
        }
        label = kind if kind == "bare" else f"{kind} accts" if kind != "demo" else "demo"
        print(
            f"{label:8} {seconds * 1000:19.0f} ms {seconds / base_time:5.2f}×"
            f"   {mib:6.1f} MiB {mib / base_rss:5.2f}×"
        )
    print(f"target: ≤ {TARGET}× the bare Textual app, for time and memory ({args.runs} runs each)")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
