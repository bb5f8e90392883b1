"""What every login-step widget shares: the ``StepWidget`` contract the wizard screen relies on,
and the small pieces the steps reuse (instructions, server text, copy and open keys).

A step widget knows its step and nothing else. It never talks to the API: when the person has
finished, it posts ``StepWidget.Submitted`` and the wizard screen sends it. Steps of the
``display_and_wait`` kind (``waits`` is True) are submitted by the screen itself, at once, as a
long poll; their widgets only show and, for the QR code, redraw in place (``refresh_step``).
"""

from __future__ import annotations

import os
import sys
import time
import webbrowser
from collections.abc import Callable, Collection, Mapping
from contextlib import suppress
from typing import Any

from rich.text import Text
from textual._styles_cache import StylesCache
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.dom import NoScreen
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from beeper_tui.api.models import DisplayAndWaitStep, ValidationIssue
from beeper_tui.text import clean_lines


def server_text(text: str | None, style: str = "") -> Text:
    """Server text as a rich Text: drawn as typed, never parsed as markup."""
    return Text(clean_lines(text), style=style)


def place_issues(
    issues: list[ValidationIssue], field_ids: Collection[str]
) -> tuple[dict[str, str], list[str]]:
    """Server validation issues by the field they name (the last field ID in the issue's
    path), and the messages of those that name none."""
    placed: dict[str, str] = {}
    unplaced: list[str] = []
    for issue in issues:
        named = [p for p in reversed(issue.path) if isinstance(p, str) and p in field_ids]
        message = issue.message or issue.code or "Not accepted."
        if named:
            placed.setdefault(named[0], message)
        else:
            unplaced.append(message)
    return placed, unplaced


def no_browser_reason(
    env: Mapping[str, str] | None = None, platform: str = sys.platform
) -> str | None:
    """Why a browser opened from here would not reach the person, or None. Over SSH or with
    no graphical display, ``webbrowser`` falls back to a console browser that would take over
    the terminal the app is drawn in."""
    env = os.environ if env is None else env
    if env.get("SSH_CONNECTION") or env.get("SSH_TTY"):
        return "this is an SSH session"
    if platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return "there is no graphical display here"
    return None


def duration(seconds: float) -> str:
    """A short duration for people: 12s, 3m 05s, 1h 02m."""
    whole = max(0, int(seconds))
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def leave_text_selection(widget: Widget) -> None:
    """Take ``widget`` off its screen's text-selection signal, as it is removed.

    Textual 8.2.8's ``Input`` and ``TextArea`` subscribe to
    ``Screen.text_selection_started_signal`` when mounted and never unsubscribe. The signal's
    table is keyed weakly, but the callback stored under each key closes over that widget, so
    the key never dies: every input a step ever showed stayed in memory, caches and all, until
    someone started a mouse selection on the wizard. Each step left its inputs behind, and
    Python's full garbage collections, which walk the whole heap, grew slower step by step.
    """
    with suppress(NoScreen):  # already off its screen: nothing holds it there
        widget.screen.text_selection_started_signal.unsubscribe(widget)


def forget_drawn_lines() -> None:
    """Let go of the drawn lines of widgets no longer on screen.

    Textual 8.2.8 memoises ``StylesCache.get_inner_outer`` with ``functools.lru_cache`` on the
    method itself, so the cache keys on each widget's styles cache, which holds that widget's
    drawn lines: up to 1 024 of them, of widgets long removed, stay alive (Textualize/textual
    #6665, open). A wizard step is a dozen to twenty widgets, so after a few dozen steps the
    heap was mostly these, and every full collection walked them: 52-73 ms of CPU each instead
    of 17-18 (benchmarks/wizard_swap.py). Clearing the memo drops them; it only ever holds
    two colours per entry, quick to make again. There is no public way to do this: the
    module is private, so this depends on the pinned Textual (pyproject.toml)."""
    StylesCache.get_inner_outer.cache_clear()


class StepInput(Input):
    """The steps' one-line input: Textual's ``Input``, let go of when it is removed (see
    ``leave_text_selection``)."""

    def on_unmount(self) -> None:
        leave_text_selection(self)


SHORT_INSTRUCTIONS = 100
"""Characters, on one line, that wrap to fewer lines at any usable width than the least room
a step gives its instructions (6 lines): instructions that short never scroll."""


def step_instructions(text: str | None) -> Widget:
    """The widget for a step's instructions: ``Instructions``, which scrolls, when they could be
    taller than their room; else ``ShortInstructions``, drawn the same in one widget instead of
    two (each widget is about a millisecond and a half of a step swap)."""
    text = text or ""
    if len(text) <= SHORT_INSTRUCTIONS and "\n" not in text:
        return ShortInstructions(text)
    return Instructions(text)


class ShortInstructions(Static):
    """Instructions too short ever to scroll (see ``step_instructions``), as ``Instructions`` draws
    them."""

    DEFAULT_CSS = """
    ShortInstructions {
        width: 1fr;
        height: auto;
        margin-bottom: 1;
    }
    """

    def __init__(self, text: str) -> None:
        super().__init__(server_text(text))
        self.text = text


class Instructions(VerticalScroll):
    """The server's instructions for a step; scrolls when they are long."""

    DEFAULT_CSS = """
    Instructions {
        height: auto;
        max-height: 10;
        margin-bottom: 1;
        scrollbar-size-vertical: 1;
    }
    Instructions > Static { width: 1fr; }
    """

    def __init__(self, text: str | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = text or ""

    def compose(self) -> ComposeResult:
        yield Static(server_text(self.text))

    def allow_focus(self) -> bool:
        """A tab stop only when there is something to scroll."""
        return self.max_scroll_y > 0


class StepWidget(Widget):
    """One login step on screen. Subclasses draw a kind of step (see ``steps.STEP_WIDGETS``)."""

    DEFAULT_CSS = """
    StepWidget {
        height: 1fr;
        padding: 0 1;
        overflow-y: auto;
        .step-heading { text-style: bold; color: $text-primary; margin-bottom: 1; }
        .hint { color: $text-muted; }
        .error { color: $text-error; }
        .missing { color: $text-warning; }
        .found { color: $text-success; }
    }
    """

    heading = "Sign in"
    """The line above the step, in the person's words."""

    clock: Callable[[], float] = staticmethod(time.monotonic)
    """Seconds, for "Ns ago" and elapsed times; tests set a fixed one on the instance."""

    class Submitted(Message):
        """The person finished this step: the screen submits it to the server."""

        def __init__(
            self,
            step_id: str,
            step_type: str,
            fields: dict[str, str] | None = None,
            last_url: str | None = None,
            source: str | None = None,
        ) -> None:
            super().__init__()
            self.step_id = step_id
            self.step_type = step_type
            self.fields = fields
            self.last_url = last_url
            self.source = source
            self.step_widget: StepWidget | None = None

        @property
        def control(self) -> StepWidget | None:
            """The widget that posted it (for ``@on(StepWidget.Submitted, "#id")``)."""
            return self.step_widget

    def __init__(self, step: Any, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.step = step

    def on_mount(self) -> None:
        # Textual also runs each subclass's own on_mount: they must not call this one again.
        self.call_after_refresh(self.focus_first)

    def on_unmount(self) -> None:
        # Runs once this step's widgets are all removed (Textual unmounts children first).
        forget_drawn_lines()

    @property
    def waits(self) -> bool:
        """True for display_and_wait steps, which the screen submits at once by itself."""
        return isinstance(self.step, DisplayAndWaitStep)

    def refresh_step(self, step: Any) -> bool:
        """Show a newer step of the same kind in place; False when this widget can't (the
        screen then mounts a new widget)."""
        return False

    def show_issues(self, issues: list[ValidationIssue]) -> None:
        """Show the server's validation issues; only forms have fields to put them on."""

    def focus_first(self) -> None:
        """Put the focus where the person starts: the first input, or the widget itself so
        its keys work."""
        if self.can_focus and self.is_attached:
            self.focus()

    def submit(
        self,
        fields: dict[str, str] | None = None,
        *,
        last_url: str | None = None,
        source: str | None = None,
    ) -> None:
        """Post ``Submitted`` for this step."""
        message = self.Submitted(
            self.step.step_id or "", self.step.type, fields, last_url=last_url, source=source
        )
        message.step_widget = self
        self.post_message(message)

    def copy_to_clipboard(self, text: str, what: str) -> None:
        """Copy ``text`` (OSC 52) and say so without showing it."""
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {what} to the clipboard.", markup=False)

    def open_in_browser(self, url: str, what: str = "the link") -> None:
        """Open ``url`` in the default browser, or say how to get there without one."""
        reason = no_browser_reason()
        if reason is not None:
            self.notify(
                f"Not opening a browser: {reason}. Copy the link and open it on your computer.",
                severity="warning",
                markup=False,
            )
            return
        try:
            opened = webbrowser.open(url)
        except webbrowser.Error:
            opened = False
        if opened:
            self.notify(f"Opened {what} in your browser.", markup=False)
        else:
            self.notify(
                "Couldn't open a browser from here: copy the link instead.",
                severity="warning",
                markup=False,
            )
