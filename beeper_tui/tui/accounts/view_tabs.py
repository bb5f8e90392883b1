"""``ViewTabs``: the accounts screen's two views, named in a bar above them — the shown one
bright and underlined, as Textual's tabs draw it — and the switch between them.

One widget draws the whole bar: Textual's ``TabbedContent`` builds nine (tabs, their scroll
containers, an underline, a content switcher, the panes) and cost about 25 ms of every start
(``benchmarks/launch.py``) for what two labels and a line show. ``b`` switches views (the
screen's key), and so does a click on a name.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.renderables.bar import Bar
from textual.widget import Widget

#: The views, in the bar's order: (the id of the container it shows, its name).
VIEWS = (("accounts-view", "Accounts"), ("bridges-view", "Bridges"))


class ViewTabs(Widget):
    """The bar of view names; :attr:`active` is the id of the view shown."""

    DEFAULT_CSS = """
    ViewTabs {
        height: 2;
        color: $foreground 50%;
        & > .view-tabs--active { color: $foreground; }
        & > .view-tabs--bar {
            color: $block-cursor-background;
            background: $foreground 10%;
        }
        &:ansi {
            text-style: dim;
            & > .view-tabs--active { text-style: not dim bold; }
            & > .view-tabs--bar { background: $border-blurred; }
        }
    }
    """
    COMPONENT_CLASSES = {"view-tabs--active", "view-tabs--bar"}
    ALLOW_SELECT = False

    active: reactive[str] = reactive(VIEWS[0][0])

    @dataclass
    class Changed(Message):
        """The view shown changed (a click, or :attr:`active` set)."""

        view_tabs: ViewTabs
        active: str

    def _spans(self) -> list[tuple[str, int, int]]:
        """Each view's id, and the first and last+1 cells of its name with its padding."""
        spans, start = [], 0
        for view, name in VIEWS:
            width = len(name) + 2
            spans.append((view, start, start + width))
            start += width
        return spans

    def render(self) -> Group:
        active = self.get_component_rich_style("view-tabs--active", partial=True)
        names = Text(no_wrap=True, overflow="crop")
        for view, name in VIEWS:
            names.append(f" {name} ", active if view == self.active else "")
        bar = self.get_component_rich_style("view-tabs--bar")
        _, start, end = next(span for span in self._spans() if span[0] == self.active)
        underline = Bar(
            highlight_range=(start + 1, end - 1),  # under the name, not its padding
            highlight_style=Style.from_color(bar.color),
            background_style=Style.from_color(bar.bgcolor),
        )
        return Group(names, underline)

    def watch_active(self, old: str, new: str) -> None:
        if old != new:
            self.post_message(self.Changed(self, new))

    def on_click(self, event: events.Click) -> None:
        for view, start, end in self._spans():
            if start <= event.x < end:
                self.active = view
