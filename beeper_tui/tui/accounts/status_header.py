"""``StatusHeader``: which Beeper Desktop we talk to, whether it answers, how fresh the list is,
and a one-line verdict on the accounts.

The screen tells it what happened (``loaded``, ``failed``, ``summarize``); it works out the
words and redraws "updated N s ago" on each ``tick``. Time comes from an injectable clock so
a snapshot always reads the same.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

from rich.text import Text
from textual.widget import Widget

from beeper_tui.api.models import Health
from beeper_tui.text import clean
from beeper_tui.tui.accounts.account_rows import AccountRow, health_counts


def ago(seconds: float) -> str:
    """``just now``, ``12 s ago``, ``3 min ago``, ``2 h ago``."""
    seconds = max(seconds, 0.0)
    if seconds < 2:
        return "just now"
    if seconds < 60:
        return f"{int(seconds)} s ago"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    return f"{int(seconds // 3600)} h ago"


def summary_text(
    counts: Mapping[Health, int], shown: int, query: str, bridge: str | None = None
) -> Text:
    """The verdict line: an invitation, "All N accounts connected", or counts by health. A list
    narrowed (to one bridge, by a filter) says so first, so that a narrow terminal cutting the
    line cuts the counts, never the reason rows are missing."""
    total = sum(counts.values())
    if not total:
        return Text("No accounts yet — press a to add one.", style="bold")
    text = Text()
    if query or bridge is not None:
        text.append(f"showing {shown} of {total}", style="bold")
        if bridge is not None:
            text.append(" · bridge: ")
            text.append(clean(bridge)[:40], style="italic")
        if query:
            text.append(" · filter: ")
            text.append(clean(query)[:60], style="italic")
        text.append(" · Esc shows all   ")
    if counts[Health.OK] == total:
        text.append(f"{Health.OK.glyph} All {total} accounts connected", style="bold")
        return text
    text.append(f"{total} accounts", style="bold")
    attention = "needs attention" if counts[Health.ATTENTION] == 1 else "need attention"
    words = {
        Health.ATTENTION: attention,
        Health.UNKNOWN: "unknown",
        Health.WORKING: "working",
        Health.OK: "connected",
        Health.OFF: "off",
    }
    for health, word in words.items():
        if counts[health]:
            style = "bold" if health is Health.ATTENTION else ""
            text.append(" · ")
            text.append(f"{health.glyph} {counts[health]} {word}", style=style)
    return text


class StatusHeader(Widget):
    """Two lines above the accounts list: the connection, then the verdict (three while
    offline, for the reason). Its height only changes with the connection, so redrawing it
    (every second, every filter keystroke) never re-lays out the screen."""

    DEFAULT_CSS = """
    StatusHeader {
        height: 2;
        padding: 0 1;
        background: $panel;
        color: $foreground;
        &.-offline { height: 3; background: $error-muted; }
    }
    """

    def __init__(
        self,
        label: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.label = label
        self.clock = clock
        self.version: str | None = None
        self.updated_at: float | None = None
        self.problem: str | None = None
        self.retry_at: float | None = None
        self.summary = Text("Loading accounts…")
        self._text = Text()
        self._counted: tuple[Sequence[AccountRow], dict[Health, int]] = ((), {})

    def on_mount(self) -> None:
        self._redraw()

    def render(self) -> Text:
        return self._text

    def loaded(self, version: str | None) -> None:
        """A refresh worked just now."""
        self.version = version or self.version
        self.updated_at = self.clock()
        self.problem = self.retry_at = None
        self._redraw()

    def failed(self, message: str, retry_in: float) -> None:
        """A refresh failed; the data on screen is whatever came last."""
        self.problem = message
        self.retry_at = self.clock() + retry_in
        self._redraw()

    def summarize(
        self, rows: Sequence[AccountRow], shown: int, query: str, bridge: str | None = None
    ) -> None:
        """The verdict for ``rows`` (counted once per new list, not per filter keystroke),
        and what the list is narrowed to (``bridge``: a bridge's name)."""
        if rows is not self._counted[0]:
            self._counted = (rows, health_counts(rows))
        self.summary = summary_text(self._counted[1], shown, query, bridge)
        self._redraw()

    def tick(self) -> None:
        """Redraw the times ("updated 12 s ago", "retrying in 3 s")."""
        if self.updated_at is not None or self.problem:
            self._redraw()

    @property
    def offline(self) -> bool:
        return self.problem is not None

    def _redraw(self) -> None:
        now = self.clock()
        line = Text()
        line.append("Beeper Desktop ", style="bold")
        line.append(clean(self.version or "…"), style="bold")
        line.append(" · ")
        line.append(clean(self.label))
        line.append(" · ")
        if self.problem is not None:
            line.append("✖ offline: ", style="bold")
            line.append(clean(self.problem)[:200])
            line.append(" · ")
            if self.updated_at is None:
                line.append("no data yet")
            else:
                line.append(f"stale: updated {ago(now - self.updated_at)}", style="italic")
            if self.retry_at is not None:
                line.append(f" · retrying in {max(int(self.retry_at - now + 0.999), 0)} s")
        elif self.updated_at is None:
            line.append("connecting…")
        else:
            line.append("● online")
            line.append(f" · updated {ago(now - self.updated_at)}")
        self.set_class(self.problem is not None, "-offline")
        self._text = Text("\n").join([line, self.summary])
        self.refresh()
