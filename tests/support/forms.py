"""Putting values into the app's forms in one call, as a paste would, instead of one key
press per character (the keys themselves are tested where typing is the point)."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.support.waiting import wait_for


async def type_text(pilot: Pilot[Any], text: str, into: Input | None = None) -> Input:
    """Put ``text`` into ``into`` (default: the focused input) at its cursor, through
    Textual's public ``insert_text_at_cursor``: the input's ``restrict``, ``type`` and
    ``max_length`` apply as they do to keys typed; return the input."""
    if into is None:
        await wait_for(pilot, lambda: isinstance(pilot.app.focused, Input), what="an input")
    field = into if into is not None else pilot.app.focused
    assert isinstance(field, Input), f"{field} is no input"
    field.insert_text_at_cursor(text)
    await pilot.pause()
    return field


async def fill_form(pilot: Pilot[Any], *values: str) -> None:
    """Put each value into the form's inputs in order (each emptied first), Enter after
    each."""
    for value in values:
        await wait_for(pilot, lambda: isinstance(pilot.app.focused, Input), what="an input")
        field = pilot.app.focused
        assert isinstance(field, Input)
        field.clear()
        await type_text(pilot, value, field)
        assert field.value == value
        await pilot.press("enter")
        await pilot.pause()


async def paste_cookies(pilot: Pilot[Any], text: str) -> None:
    """Paste ``text`` into the cookies step's paste box, as the terminal delivers a paste."""
    area = pilot.app.screen.query_one("#paste", TextArea)
    area.focus()
    await pilot.pause()
    area.post_message(events.Paste(text))
    await pilot.pause()
