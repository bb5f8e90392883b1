"""Load: the simulator with 20 000 accounts — ``status`` (text and ``--json``) and the TUI's
launch → painted, each a fresh process against ``beeper-tui sim`` on loopback.

    .venv/bin/python benchmarks/load.py [--runs 3] [--accounts 20000] [--json]

For each, the wall time and the peak RSS of the process, against the same thing on the plain
demo world (17 accounts) measured in the same run, so the ratio says what the 20 000 accounts
cost on this machine today. The TUI is measured with ``benchmarks/launch.py``'s child (headless
at 120×40, up to the first frame that shows the accounts). Runs interleave so every kind sees
the same machine load. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from launch import CHILD  # noqa: E402  (the TUI's launch → painted child, reused)

TOKEN = "load-benchmark"
KINDS = ("status", "status --json", "tui")


@contextmanager
def simulator(extra: int) -> Iterator[str]:
    """``beeper-tui sim`` with ``extra`` generated accounts on a free port; its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "beeper_tui", "sim", "--port", "0", "--token", TOKEN,
         "--no-live", "--extra-accounts", str(extra)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if found := re.search(r"(http://127\.0\.0\.1:\d+)", line):
                yield found.group(1)
                return
        raise SystemExit("beeper-tui sim did not start")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _env(base_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEEPER_")}
    env.update(BEEPER_BASE_URL=base_url, BEEPER_ACCESS_TOKEN=TOKEN)
    return env


def measure_status(base_url: str, as_json: bool) -> tuple[float, float, int]:
    """(seconds, peak RSS MiB, bytes printed) of one ``beeper-tui status`` process. It is
    started by a fresh Python whose only child it is, so the children's peak RSS is its own."""
    command = [sys.executable, "-m", "beeper_tui", "status", *(["--json"] if as_json else [])]
    code = (
        "import os, resource, subprocess, sys, time\n"
        f"cmd = {command!r}\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(cmd, capture_output=True)\n"
        "s = time.perf_counter() - t\n"
        "print(s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, len(p.stdout), "
        "p.returncode)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=_env(base_url), cwd=ROOT, timeout=300)  # fmt: skip
    seconds, rss_kb, size, returncode = done.stdout.split()
    if int(returncode) not in (0, 1):
        raise SystemExit(f"status exited {returncode}: {done.stderr[-500:]}")
    return float(seconds), int(rss_kb) / 1024, int(size)


def measure_tui(base_url: str) -> tuple[float, float]:
    """(seconds from spawn to the accounts painted, peak RSS MiB) of one TUI process."""
    code = CHILD.format(root=str(ROOT), kind="http", extra=0, base_url=base_url, token=TOKEN)
    started = time.time()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, cwd=ROOT, env=_env(base_url))  # fmt: skip
    line = next((x for x in result.stdout.splitlines() if x.startswith("PAINTED")), None)
    if line is None:
        raise SystemExit(f"tui: no paint reported\n{result.stderr[-2000:]}")
    _, painted, rss_kb = line.split()
    return float(painted) - started, int(rss_kb) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    sizes = {"demo": 0, f"+{args.accounts}": args.accounts}
    times: dict[tuple[str, str], list[float]] = {(k, s): [] for k in KINDS for s in sizes}
    memory: dict[tuple[str, str], list[float]] = {key: [] for key in times}
    printed: dict[tuple[str, str], int] = {}
    with simulator(0) as small, simulator(args.accounts) as large:
        urls = {"demo": small, f"+{args.accounts}": large}
        for run in range(args.runs + 1):  # the first round warms caches and servers
            for size, url in urls.items():
                for kind in KINDS:
                    if kind == "tui":
                        seconds, mib = measure_tui(url)
                    else:
                        seconds, mib, size_out = measure_status(url, kind.endswith("json"))
                        printed[(kind, size)] = size_out
                    if run:
                        times[(kind, size)].append(seconds)
                        memory[(kind, size)].append(mib)
    figures: dict[str, dict[str, float]] = {}
    big = f"+{args.accounts}"
    print(f"{'':16} {'demo':>16} {big + ' accounts':>26} {'ratio':>14}")
    for kind in KINDS:
        base_t = statistics.median(times[(kind, "demo")])
        base_m = statistics.median(memory[(kind, "demo")])
        load_t = statistics.median(times[(kind, big)])
        load_m = statistics.median(memory[(kind, big)])
        figures[kind] = {
            "seconds": round(load_t, 3),
            "rss_mib": round(load_m, 1),
            "seconds_demo": round(base_t, 3),
            "rss_mib_demo": round(base_m, 1),
            "time_ratio": round(load_t / base_t, 2),
            "rss_ratio": round(load_m / base_m, 2),
        }
        print(f"{kind:16} {base_t * 1000:6.0f} ms {base_m:5.0f} MiB "
              f"{load_t * 1000:12.0f} ms {load_m:6.0f} MiB "
              f"{load_t / base_t:6.1f}× {load_m / base_m:5.1f}×")  # fmt: skip
    out_json = printed.get(("status --json", big), 0)
    print(f"medians of {args.runs} runs; status --json printed {out_json / 1e6:.1f} MB "
          f"for {args.accounts} accounts")  # fmt: skip
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
