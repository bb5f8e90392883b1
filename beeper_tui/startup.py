"""The console script's entry: hang-ups heard off the main thread, and start-up without the
cyclic garbage collector.

``main`` first has SIGHUP heard by a thread of its own (``hangup``: before any other thread
starts), then readies the process (``ready_process``: the collector paused, pydantic's plugin
search skipped) before anything heavy is imported, then runs the command line; the TUI resumes
collection after its first frame, headless commands at once.
Nothing imports this module but the entry points (``beeper-tui``, ``python -m beeper_tui``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from beeper_tui.gc_pause import pause_collection
from beeper_tui.hangup import watch_hangups


def ready_process() -> None:
    """Before anything heavy is imported: pause the cyclic collector (``gc_pause``), and tell
    pydantic there are no plugins to look for. Its first validator would otherwise read the
    entry points of every package installed beside beeper-tui (5-15 ms of each start, more
    with more packages), for plugins that only observe validation, which beeper-tui never
    asks for. A ``PYDANTIC_DISABLE_PLUGINS`` set by the person is kept as it is."""
    pause_collection()
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def main(argv: Sequence[str] | None = None) -> int:
    watch_hangups()  # before any thread starts: see beeper_tui/hangup.py
    ready_process()
    from beeper_tui.cli import main as cli_main

    return cli_main(argv)
