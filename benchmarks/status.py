"""Wall time of ``beeper-tui status --json`` against a script that lists the same bridges with
the official SDK (``beeper_desktop_api``) and prints them as JSON — the smallest thing a person
could otherwise write — both as fresh processes against one ``beeper-tui sim`` on loopback.

    .venv/bin/python benchmarks/status.py [--runs 15] [--extra-accounts 0]

The runs interleave (status, SDK, status, SDK, …) so both see the same machine load; it prints
the median and the minimum of each, the ratio of the medians — the target is at most 0.8: the
command should answer faster than the plain SDK script — and the ratio of the minimums, which
is steadier on a busy machine. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
TARGET_RATIO = 0.8
SDK_SCRIPT = """\
import json, os, sys
from beeper_desktop_api import BeeperDesktop

client = BeeperDesktop(base_url=os.environ["BEEPER_BASE_URL"],
                       access_token=os.environ["BEEPER_ACCESS_TOKEN"])
bridges = client.bridges.list()
json.dump(bridges.model_dump(mode="json", by_alias=True), sys.stdout, ensure_ascii=False)
"""


@contextmanager
def simulator(token: str, extra_accounts: int) -> Iterator[str]:
    """``beeper-tui sim`` in a subprocess on a free loopback port; yields its base URL."""
    command = [
        str(BIN / "beeper-tui"), "sim", "--port", "0", "--token", token, "--no-live",
        "--extra-accounts", str(extra_accounts),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        if " on " not in first:
            raise RuntimeError(f"the simulator did not start: {first!r}")
        base_url = first.split(" on ", 1)[1].strip()
        _wait_until_up(base_url, token)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_up(base_url: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(200):
        try:
            if httpx.get(f"{base_url}/v1/bridges", headers=headers, timeout=2).is_success:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError("the simulator did not answer")


def timed(command: Sequence[str], env: dict[str, str]) -> tuple[float, str]:
    """Seconds the command took from start to exit, and what it printed."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):  # status exits 1 when an account needs attention
        raise RuntimeError(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed, done.stdout


def bridge_ids_of_status(output: str) -> list[str]:
    return [bridge["id"] for bridge in json.loads(output)["bridges"]]


def bridge_ids_of_sdk(output: str) -> list[str]:
    return [bridge["id"] for bridge in json.loads(output)["items"]]


def report(name: str, times: list[float]) -> str:
    return (
        f"{name:<28} median {statistics.median(times) * 1000:7.1f} ms   "
        f"min {min(times) * 1000:7.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each (default 15)")
    parser.add_argument("--extra-accounts", type=int, default=0, metavar="N")
    args = parser.parse_args()

    token = secrets.token_urlsafe(24)
    status_command = [str(BIN / "beeper-tui"), "status", "--json"]
    sdk_command = [sys.executable, "-c", SDK_SCRIPT]
    with simulator(token, args.extra_accounts) as base_url, tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BEEPER_")}
        env.update(BEEPER_BASE_URL=base_url, BEEPER_ACCESS_TOKEN=token, XDG_CONFIG_HOME=home)
        # One untimed run each: warms the OS file cache and checks both list the same bridges.
        _, status_out = timed(status_command, env)
        _, sdk_out = timed(sdk_command, env)
        if bridge_ids_of_status(status_out) != bridge_ids_of_sdk(sdk_out):
            raise RuntimeError("the two programs listed different bridges")
        if token in status_out:
            raise RuntimeError("beeper-tui status printed the access token")
        status_times: list[float] = []
        sdk_times: list[float] = []
        for _ in range(args.runs):
            status_times.append(timed(status_command, env)[0])
            sdk_times.append(timed(sdk_command, env)[0])

    bridges = len(bridge_ids_of_sdk(sdk_out))
    accounts = json.loads(status_out)["summary"]["accounts"]
    print(f"{args.runs} interleaved runs each; {bridges} bridges, {accounts} accounts; {base_url}")
    print(report("beeper-tui status --json", status_times))
    print(report("official SDK bridges.list()", sdk_times))
    ratio = statistics.median(status_times) / statistics.median(sdk_times)
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    print(f"ratio of medians {ratio:.2f} ({verdict} the target of ≤ {TARGET_RATIO}); ", end="")
    print(f"ratio of minimums {min(status_times) / min(sdk_times):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
