"""The console script's entry: start-up runs without the cyclic garbage collector.

Importing textual, httpx and pydantic and building the first screen allocates hundreds of
thousands of objects that live as long as the process; the collector kept walking them while
they were being made (about 50 ms of a 550 ms start, 75 ms with 2 000 accounts, see
``benchmarks/launch.py``). So ``beeper-tui`` pauses collection first thing, and resumes it once
the first frame is on screen (the TUI) or at once (headless commands): what start-up built is
frozen out of every later pass and collection works as usual from there. Importing the package
from Python (tests, scripts) never pauses anything.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence

_paused = False


def pause_collection() -> None:
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


def main(argv: Sequence[str] | None = None) -> int:
    pause_collection()
    from beeper_tui.cli import main as cli_main

    return cli_main(argv)
