"""``RetryCountdown``: "Trying again in 4 s" that counts down each second and says when it is
time; the screen that owns it does the trying."""

from __future__ import annotations

from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static


class RetryCountdown(Static):
    """Counts down to the next try; ``Due`` is posted when it reaches zero."""

    DEFAULT_CSS = """
    RetryCountdown { height: 1; color: $text-muted; }
    """

    TICK = 1.0
    """Real seconds per counted second (the tests count faster)."""

    seconds_left: reactive[int | None] = reactive(None)
    """Whole seconds to the next try; None while trying (or stopped)."""

    class Due(Message):
        """Time to try again."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._timer: Timer | None = None

    def start(self, seconds: int) -> None:
        """Count down from ``seconds``."""
        self.seconds_left = max(1, seconds)
        if self._timer is None:
            self._timer = self.set_interval(self.TICK, self._tick)
        else:
            self._timer.reset()

    def trying(self) -> None:
        """Say a try is under way, and stop counting."""
        self.seconds_left = None

    def watch_seconds_left(self, seconds: int | None) -> None:
        self.update("Trying again now…" if seconds is None else f"Trying again in {seconds} s.")

    def _tick(self) -> None:
        if self.seconds_left is None:
            return
        if self.seconds_left <= 1:
            self.seconds_left = None
            self.post_message(self.Due())
        else:
            self.seconds_left -= 1
