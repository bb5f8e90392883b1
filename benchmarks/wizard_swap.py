"""Step-to-step swap time in the login wizard: from a new ``LoginSession`` arriving to the next
step widget mounted and painted, against swapping a bare ``Static`` in the same place (the floor).

    .venv/bin/python benchmarks/wizard_swap.py [--rounds 30]

It opens the real wizard on the embedded simulator, then feeds the screen a cycle of sessions
whose steps are a form, a QR code, a code, an emoji and a cookies step (each with a new stepID,
so each is a real swap, not an in-place refresh), and times each ``_draw`` until the app is idle
again. The network is not in the figure: only what the person waits for once the answer is in.
Not a test: it prints its figures (medians and the ratio to the floor) and whether the targets
of issue 8 are met: a swap's median ≤ 1.5× the floor's, and its p90 under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from textual.widgets import Static

from beeper_tui.api.models import LoginSession
from beeper_tui.connect import connect_demo
from beeper_tui.sim import build_demo_world
from beeper_tui.tui.app import BeeperApp
from beeper_tui.tui.login.screen import LoginWizardScreen

STEPS: list[dict[str, Any]] = [
    {
        "type": "user_input",
        "instructions": "Enter your phone number.",
        "fields": [
            {"id": "phone", "type": "phone_number", "label": "Phone number"},
            {"id": "password", "type": "password", "label": "Password", "optional": True},
        ],
    },
    {"type": "display_and_wait", "display": {"type": "qr", "data": "2@" + "A1b2C3d4+/" * 25}},
    {"type": "display_and_wait", "display": {"type": "code", "data": "ABCD-1234"}},
    {
        "type": "display_and_wait",
        "display": {
            "type": "emoji",
            "imageURL": "https://fonts.gstatic.com/s/e/notoemoji/latest/1f984/512.png",
        },
    },
    {
        "type": "cookies",
        "url": "https://app.slack.com/signin",
        "fields": [
            {"id": "d", "type": "cookie", "name": "d"},
            {"id": "token", "type": "local_storage", "name": "localConfig_v2"},
        ],
    },
]
STATUS = {"user_input": "waiting_for_input", "cookies": "waiting_for_cookies"}
#: Issue 8's targets: a swap's median against the floor's, and its 90th percentile.
RATIO_TARGET = 1.5
P90_TARGET_MS = 100


def session(index: int) -> LoginSession:
    step = STEPS[index % len(STEPS)]
    return LoginSession.model_validate(
        {
            "bridgeID": "telegram",
            "loginSessionID": "bench",
            "status": STATUS.get(step["type"], "waiting_for_display"),
            "currentStep": {**step, "stepID": f"step-{index}"},
        }
    )


async def measure(rounds: int) -> tuple[list[float], list[float]]:
    world = build_demo_world(autoscan=None, live_changes=False)
    app = BeeperApp(connect_demo(world), login_target=("telegram", None, None, None))
    swaps: list[float] = []
    floor: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, LoginWizardScreen) and app.screen.step_widget):
            await pilot.pause(0.02)
        screen = app.screen
        assert isinstance(screen, LoginWizardScreen)
        for index in range(rounds * len(STEPS)):
            started = time.perf_counter()
            await screen._draw(session(index + 1))
            await pilot.pause()
            swaps.append(time.perf_counter() - started)
        area = screen.query_one("#wizard-step")
        for index in range(rounds * len(STEPS)):
            started = time.perf_counter()
            await area.remove_children([w for w in area.children if w.id != "wizard-note"])
            await area.mount(Static(f"step {index}"))
            await pilot.pause()
            floor.append(time.perf_counter() - started)
    return swaps, floor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="cycles through the five steps")
    rounds = parser.parse_args().rounds
    swaps, floor = asyncio.run(measure(rounds))
    swap_ms = statistics.median(swaps) * 1000
    floor_ms = statistics.median(floor) * 1000
    print(f"{len(swaps)} swaps (form, QR, code, emoji, cookies in turn)")
    print(f"step swap          median {swap_ms:6.2f} ms   p90 {_p90(swaps):6.2f} ms")
    print(f"floor (Static)     median {floor_ms:6.2f} ms   p90 {_p90(floor):6.2f} ms")
    ratio, p90 = swap_ms / floor_ms, _p90(swaps)
    print(f"ratio of medians   {ratio:.2f}×")
    print(f"target ratio ≤ {RATIO_TARGET}×: {'met' if ratio <= RATIO_TARGET else 'NOT met'}")
    print(f"target p90 < {P90_TARGET_MS} ms: {'met' if p90 < P90_TARGET_MS else 'NOT met'}")


def _p90(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.9)] * 1000


if __name__ == "__main__":
    main()
