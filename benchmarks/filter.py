"""Filter keypress → repaint over 2 000 accounts.

    .venv/bin/python benchmarks/filter.py [--accounts 2000] [--rounds 2]

Opens the accounts screen (headless, 120×40) on the embedded simulator with ``--accounts``
extra accounts, presses ``/`` and types queries letter by letter at a typist's pace, then
deletes them again. Each keypress goes in as the terminal driver sends it and is timed to the
end of the screen update that paints the filtered rows:

- *repaint*: the screen is updated as soon as the filter has run (Textual's frame pacing, up
  to 1/60 s of waiting, left out) — the work a keypress costs; the target is a median < 16 ms;
- *paced*: waiting for Textual's own next frame, as a person sees it.

The same two figures for a bare Textual app (an Input echoed into a Static) give the floor
Textual itself sets on this machine. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual import events, on
from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from beeper_tui.sim import build_demo_world
from beeper_tui.tui.accounts.screen import AccountsScreen
from tests.support import demo_app

TARGET_MS = 16.0
QUERIES = ("whatsapp", "needs attention", "alex", "1999", "signal connected")


class EchoApp(App[None]):
    """The floor: an Input whose every change is drawn into a Static."""

    def compose(self) -> ComposeResult:
        yield Input()
        yield Static()

    @on(Input.Changed)
    def _echo(self, event: Input.Changed) -> None:
        self.query_one(Static).update(event.value)


async def keypress(
    app: App[Any], key: str, char: str | None, done: Callable[[], bool], paced: bool
) -> float:
    """Seconds from the key event to the end of the screen update that shows its effect."""
    started = time.perf_counter()
    app._driver.send_message(events.Key(key, char))  # type: ignore[union-attr]
    while not done():
        await asyncio.sleep(0)
    if paced:
        painted = asyncio.Event()
        app.screen.call_after_refresh(painted.set)
        await painted.wait()
    else:
        app.screen._on_timer_update()  # paint now: layout and compositor update
    return time.perf_counter() - started


async def type_queries(
    app: App[Any], pilot: Any, current: Callable[[], str], rounds: int
) -> dict[str, list[float]]:
    """Type and delete each query, alternating repaint-now and paced keypresses."""
    timings: dict[str, list[float]] = {"repaint": [], "paced": []}
    box = app.screen.query_one(Input)
    for round_number in range(rounds * 2):
        mode = "repaint" if round_number % 2 == 0 else "paced"
        for query in QUERIES:
            steps = [(ch, ch, query[: i + 1]) for i, ch in enumerate(query)]
            steps += [("backspace", None, query[:i]) for i in reversed(range(len(query)))]
            for key, char, expect in steps:
                key = "space" if key == " " else key
                seconds = await keypress(
                    app, key, char, lambda e=expect: current() == e, mode == "paced"
                )
                timings[mode].append(seconds)
                await pilot.pause(0.1)  # a typist's pace
            assert box.value == ""
    return timings


async def measure_accounts(accounts: int, rounds: int) -> dict[str, list[float]]:
    app = demo_app(build_demo_world(extra_accounts=accounts), refresh=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, AccountsScreen) and app.screen.table.all_rows):
            await pilot.pause(0.05)
        screen = app.screen
        print(f"{len(screen.table.all_rows)} accounts on screen")
        await pilot.press("slash")
        await pilot.pause(0.3)
        return await type_queries(app, pilot, lambda: screen.table.filter_query, rounds)


async def measure_floor(rounds: int) -> dict[str, list[float]]:
    app = EchoApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        box = app.query_one(Input)
        return await type_queries(app, pilot, lambda: box.value, rounds)


def summary(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p90 = ms[max(int(len(ms) * 0.9) - 1, 0)]
    return f"median {statistics.median(ms):5.1f} ms · p90 {p90:5.1f} ms · worst {ms[-1]:5.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    ours = asyncio.run(measure_accounts(args.accounts, args.rounds))
    floor = asyncio.run(measure_floor(args.rounds))
    print(f"filter keypress → repaint ({len(ours['repaint'])} keypresses each way):")
    for mode in ("repaint", "paced"):
        print(f"  {mode:8} beeper-tui  {summary(ours[mode])}")
        print(f"  {'':8} bare app    {summary(floor[mode])}")
    print(f"target: repaint median < {TARGET_MS:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
