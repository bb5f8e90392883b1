"""Regenerate the README's pictures from the real app on the embedded simulator.

    .venv/bin/python screenshots/make.py          # writes screenshots/*.svg

Each picture is a scenario a person would see; nothing is drawn by hand.
"""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.css.query import NoMatches
from textual.pilot import Pilot
from textual.widgets import Input

from beeper_tui.connect import connect_demo
from beeper_tui.sim import build_demo_world
from beeper_tui.tui.app import BeeperApp

HERE = Path(__file__).parent
SIZE = (120, 36)
Scenario = Callable[[BeeperApp, Pilot[Any]], Awaitable[None]]


async def settle(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app run until ``condition()`` holds; a scenario that never gets there is an
    error, not a picture of the wrong screen."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                break
        except NoMatches:  # the screen may be half-built between pauses
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"the scenario did not reach its screen within {timeout} s")
        await pilot.pause(0.05)
    await pilot.pause(0.3)


_TEXT_RUN = re.compile(
    r'<text [^>]*clip-path="url\(#terminal-\d+-line-(\d+)\)"[^>]*>([^<]*)</text>'
)


def screen_text(app: BeeperApp) -> str:
    """Everything on screen as plain text (from Textual's public screenshot export), to wait
    for what a person would wait for."""
    lines: dict[int, list[str]] = {}
    for number, run in _TEXT_RUN.findall(app.export_screenshot()):
        lines.setdefault(int(number), []).append(html.unescape(run).replace("\xa0", " "))
    return "\n".join("".join(runs) for _, runs in sorted(lines.items()))


async def shoot(
    name: str, scenario: Scenario, size: tuple[int, int] = SIZE, **app_options: Any
) -> Path:
    world = build_demo_world(autoscan=None, live_changes=False)
    app = BeeperApp(connect_demo(world), **app_options)
    async with app.run_test(size=size) as pilot:
        await scenario(app, pilot)
        for box in app.screen.query(Input):  # a steady cursor: the same picture on every run
            box.cursor_blink = False
        await pilot.pause()
        path = HERE / f"{name}.svg"
        app.save_screenshot(filename=path.name, path=str(HERE))
    return path


async def home(app: BeeperApp, pilot: Pilot[Any]) -> None:
    await settle(pilot, lambda: "need attention" in screen_text(app))


async def help_screen(app: BeeperApp, pilot: Pilot[Any]) -> None:
    await home(app, pilot)
    await pilot.press("question_mark")
    await settle(pilot, lambda: "Reconnect" in screen_text(app) and len(app.screen_stack) > 2)


async def qr(app: BeeperApp, pilot: Pilot[Any]) -> None:
    await settle(pilot, lambda: "▀" in screen_text(app))


async def telegram_code(app: BeeperApp, pilot: Pilot[Any]) -> None:
    await settle(pilot, lambda: "Phone" in screen_text(app))
    for key in "+1 555 010 0199":
        await pilot.press("space" if key == " " else "plus" if key == "+" else key)
    await pilot.press("enter")
    await settle(pilot, lambda: "Step 2" in screen_text(app))


async def cookies(app: BeeperApp, pilot: Pilot[Any]) -> None:
    await settle(pilot, lambda: "app.slack.com" in screen_text(app))


SCENARIOS: list[tuple[str, Scenario, dict[str, Any]]] = [
    ("home", home, {}),
    ("help", help_screen, {}),
    ("wizard-qr", qr, {"login_target": ("local-whatsapp", "qr", None, None), "size": (120, 40)}),
    ("wizard-form", telegram_code, {"login_target": ("telegram", None, None, None)}),
    ("wizard-cookies", cookies, {"login_target": ("slackgo", None, None, None)}),
]


async def main() -> None:
    for name, scenario, options in SCENARIOS:
        path = await shoot(name, scenario, **options)
        print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    asyncio.run(main())
