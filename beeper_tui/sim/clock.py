"""A clock for the simulator that moves only when told, so tests make time pass exactly.

    clock = ManualClock()
    world = build_demo_world(clock=clock)
    clock.advance(world.qr_rotate_first)  # the QR's first rotation is due now

Everything time-based in the world reads its clock: auto-scans, QR rotations, backfills,
session expiry, live changes and the long-poll's maximum wait.
"""

from __future__ import annotations

import threading


class ManualClock:
    """Seconds that pass only through :meth:`advance`; safe to read from a server thread."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass."""
        with self._lock:
            self._now += seconds
