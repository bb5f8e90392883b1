"""Hang-ups, heard off the main thread.

When the terminal goes away (its window or pane closed, the multiplexer gone), the kernel
sends SIGHUP. A Python signal handler runs only when the main thread gets back to Python
code — and at that moment the main thread may be stuck for good in Textual's write to the
dead terminal, so the handler never ran and the open login session stayed on the server (about
one closed terminal in three). So the console script blocks SIGHUP in its main thread before
any other thread exists (every thread started later inherits the block), and one thread of its
own waits for it with ``sigwait`` and calls whatever handler is registered: the TUI registers
one that cancels the open sessions and exits; with none, the process ends at once with
128 + SIGHUP. Headless; nothing here imports the rest of the package.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable

_handler: Callable[[], None] | None = None
_watching = False


def watch_hangups() -> bool:
    """Hear SIGHUP in a thread of its own from now on (call first thing, from the main
    thread, before any other thread starts). False where the platform can't."""
    global _watching
    hangup = getattr(signal, "SIGHUP", None)
    if _watching or hangup is None or not hasattr(signal, "pthread_sigmask"):
        return _watching
    signal.pthread_sigmask(signal.SIG_BLOCK, {hangup})
    threading.Thread(target=_wait_for_hangups, name="beeper-tui-hangup", daemon=True).start()
    _watching = True
    return True


def watching() -> bool:
    """Whether hang-ups are heard by the watcher thread (else only by a Python handler)."""
    return _watching


def on_hangup(handler: Callable[[], None] | None) -> None:
    """What a hang-up does from now on (called on the watcher thread); None: end at once."""
    global _handler
    _handler = handler


def _wait_for_hangups() -> None:
    hangup = signal.SIGHUP
    while True:
        signal.sigwait({hangup})
        handler = _handler
        if handler is None:
            os._exit(128 + hangup)
        handler()
