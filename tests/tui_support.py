"""Build the real app on the embedded simulator for Pilot tests."""

from __future__ import annotations

from typing import Any

from beeper_tui.connect import connect_demo
from beeper_tui.tui.app import BeeperApp


def demo_app(world: Any = None, **app_kwargs: Any) -> BeeperApp:
    """The real BeeperApp over the in-process simulator. Without a world, a demo world with a
    manual phone side (nothing is scanned by itself) and no random status changes."""
    from beeper_tui.sim import build_demo_world

    world = world or build_demo_world(autoscan=None, live_changes=False)
    return BeeperApp(connect_demo(world), **app_kwargs)
