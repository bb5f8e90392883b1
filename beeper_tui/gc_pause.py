"""Start-up without the cyclic garbage collector: pause it first thing, resume it later.

Importing textual, httpx and pydantic and building the first screen allocates hundreds of
thousands of objects that live as long as the process; the collector kept walking them while
they were being made (about 50 ms of a 550 ms start, 75 ms with 2 000 accounts, see
``benchmarks/launch.py``). So the console script (``startup.main``) pauses collection first
thing, and it is resumed once the first frame is on screen (the TUI, ``BeeperApp``) or at once
(headless commands, ``cli``): what start-up built is frozen out of every later pass and
collection works as usual from there. Importing the package from Python (tests, scripts) never
pauses anything.

It imports nothing of the package, so that the entry point, the commands and the app can all
use it without importing one another.
"""

from __future__ import annotations

import gc

_paused = False


def pause_collection() -> None:
    """Turn the cyclic collector off until ``resume_collection`` (if it was on)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collection() -> None:
    """Freeze what start-up built and collect again; nothing unless start-up paused it."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
