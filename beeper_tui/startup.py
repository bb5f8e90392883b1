"""The console script's entry: hang-ups heard off the main thread, and start-up without the
cyclic garbage collector.

``main`` first has SIGHUP heard by a thread of its own (``hangup``: before any other thread
starts), then pauses the collector (``gc_pause``) before anything heavy is imported, then runs
the command line; the TUI resumes collection after its first frame, headless commands at once.
Nothing imports this module but the entry points (``beeper-tui``, ``python -m beeper_tui``).
"""

from __future__ import annotations

from collections.abc import Sequence

from beeper_tui.gc_pause import pause_collection
from beeper_tui.hangup import watch_hangups


def main(argv: Sequence[str] | None = None) -> int:
    watch_hangups()  # before any thread starts: see beeper_tui/hangup.py
    pause_collection()
    from beeper_tui.cli import main as cli_main

    return cli_main(argv)
