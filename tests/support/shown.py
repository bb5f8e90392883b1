"""What the app shows and says, as a person would read it: a widget's text, a whole screen's,
the footer's keys, and every notification."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

from beeper_tui.tui.widgets.footer import Footer


def shown_text(static: Any, width: int = 60) -> str:
    """The plain text a Static (or any renderable widget content) shows."""
    content = static.content if hasattr(static, "content") else static.render()
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


def screen_text(pilot: Pilot[Any], width: int = 200) -> str:
    """Every Static on the top screen, as plain text, in order."""
    return "\n".join(shown_text(s, width) for s in pilot.app.screen.query(Static))


def footer_labels(screen: Any) -> set[str]:
    """The labels of the keys the footer shows, enabled ones only."""
    return {key.description for key in screen.query_one(Footer).visible_keys() if key.enabled}


def heard(app: App[Any]) -> list[str]:
    """From now on, every notification the app shows, as "title: message" (every widget's
    ``notify`` goes through the app's). Call before ``run_test``."""
    said: list[str] = []
    show = app.notify

    def notify(message: str, *, title: str = "", **options: Any) -> None:
        said.append(f"{title}: {message}")
        show(message, title=title, **options)

    app.notify = notify  # type: ignore[method-assign]
    return said
