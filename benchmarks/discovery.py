"""How long finding Beeper Desktop takes when nothing listens, against the floor of one probe.

    .venv/bin/python benchmarks/discovery.py [--runs 30]

``find_desktop`` over 20 loopback ports nobody listens on (free ports this script picked, not
the real 23373–23392, which a Beeper Desktop on this machine may hold) versus one probe of one
such port — the least any discovery could cost. Prints the median and the worst of each and
the ratio of the medians, and whether the whole probe stays under the 0.5 s budget (the target
is far under it: a closed loopback port refuses at once, and the 19 after the first are asked
concurrently). Then the same with Beeper Desktop (the simulator) answering on the last port.
Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import time
from collections.abc import Awaitable, Callable

from beeper_tui.discovery import answers, find_desktop
from beeper_tui.sim import build_demo_world
from beeper_tui.sim.serve import running_server

BUDGET = 0.5


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


async def timed(runs: int, work: Callable[[], Awaitable[None]]) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        await work()
        times.append(time.perf_counter() - start)
    return times


def report(name: str, times: list[float]) -> float:
    median = statistics.median(times)
    print(f"{name:<42} median {median * 1000:7.2f} ms   worst {max(times) * 1000:7.2f} ms")
    return median


async def main(runs: int) -> None:
    ports = free_ports(20)

    async def one_probe() -> None:
        await answers(ports[0])

    async def nothing_listens() -> None:
        found = await find_desktop(ports)
        assert found.base_url is None

    floor = report("one probe of a closed port (floor)", await timed(runs, one_probe))
    whole = report("find_desktop, 20 closed ports", await timed(runs, nothing_listens))
    print(f"ratio to the floor: {whole / floor:.1f}×; under the {BUDGET:g} s budget: "
          f"{'yes' if whole < BUDGET else 'NO'}")  # fmt: skip

    with running_server(build_demo_world()) as base_url:
        last = [*ports[:19], int(base_url.rsplit(":", 1)[1])]

        async def found_on_the_last() -> None:
            found = await find_desktop(last)
            assert found.base_url == base_url

        report("find_desktop, simulator on the 20th port", await timed(runs, found_on_the_last))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    asyncio.run(main(parser.parse_args().runs))
