"""``HelpDialog``: every key of the screen below it, grouped, with what each does.

It reads the screen's active bindings (the focused widget's, then the screen's, then the
app's), so it is right for any screen it is opened on. Keys with the same action are shown
together (``↑ k  Previous account``). A node names its group with ``HELP_TITLE``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from beeper_tui.tui.widgets.dialog import Dialog

#: Plain words for Textual's own actions; None leaves an action out of the help. Other
#: bindings are described by their tooltip, else their (footer) description.
BUILT_IN_WORDS: dict[str, str | None] = {
    "focus_next": "Next pane or field",
    "focus_previous": "Previous pane or field",
    "command_palette": "Command palette: find any command by name",
    "quit": "Quit",
    "copy_text": None,
    "maximize": None,
}


@dataclass
class KeyLine:
    """One line of help: the keys, and what they do."""

    keys: list[str]
    description: str
    enabled: bool = True


def group_title(node: DOMNode) -> str:
    """A binding group's heading: the node's ``HELP_TITLE``, else plain words for it."""
    title = getattr(node, "HELP_TITLE", None)
    if isinstance(title, str):
        return title
    if isinstance(node, App):
        return "Everywhere"
    if isinstance(node, Screen):
        return "On this screen"
    return type(node).__name__


def key_groups(screen: Screen[object]) -> list[tuple[str, list[KeyLine]]]:
    """The keys active on ``screen``, grouped by where they are bound (focused widget first,
    the app last); keys with the same action share a line."""
    app = screen.app
    groups: dict[int, tuple[str, dict[tuple[str, str], KeyLine]]] = {}
    order = {id(screen): 0, id(app): 2}
    for active in screen.active_bindings.values():
        binding: Binding = active.binding
        action = binding.action.rsplit(".", 1)[-1]
        description = BUILT_IN_WORDS.get(action, binding.tooltip or binding.description)
        if not description:
            continue
        node = active.node
        _, lines = groups.setdefault(id(node), (group_title(node), {}))
        key = app.get_key_display(binding)
        entry = lines.get((binding.action, description))
        if entry is None:
            lines[(binding.action, description)] = KeyLine([key], description, active.enabled)
        elif key not in entry.keys:
            entry.keys.append(key)
    merged: dict[str, list[KeyLine]] = {}
    for _node, (title, lines) in sorted(groups.items(), key=lambda i: order.get(i[0], 1)):
        merged.setdefault(title, []).extend(lines.values())
    return list(merged.items())


def help_text(groups: list[tuple[str, list[KeyLine]]]) -> Group:
    """The keys: a bold heading per group, then ``keys  description`` rows (descriptions wrap
    in their own column)."""
    width = max((len(" ".join(line.keys)) for _, lines in groups for line in lines), default=4)
    parts: list[Text | Table] = []
    for index, (title, lines) in enumerate(groups):
        parts.append(Text(("\n" if index else "") + title, style="bold underline"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True, min_width=width + 2)
        grid.add_column()
        for line in lines:
            what = Text(line.description, style="" if line.enabled else "dim")
            if not line.enabled:
                what.append("  (not now)", style="dim")
            grid.add_row("  " + " ".join(line.keys), what)
        parts.append(grid)
    return Group(*parts)


class HelpDialog(ModalScreen[None]):
    """All keys of the screen below. Esc, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close help", key_display="esc"),
    ]

    DEFAULT_CSS = """
    HelpDialog {
        align: center middle;
        #help-dialog { max-height: 90%; }
        #help-title { text-style: bold; margin-bottom: 1; }
        #help-body { height: auto; max-height: 32; }
        #help-keys { color: $text-muted; margin-top: 1; }
    }
    """

    def compose(self) -> ComposeResult:
        with Dialog(id="help-dialog"):
            yield Static("Keys", id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(id="help-text")
            yield Static("esc, q or ? close · ctrl+p finds any command by name", id="help-keys")

    def on_mount(self) -> None:
        below = self._screen_below()
        groups = key_groups(below) if below is not None else []
        body = self.query_one("#help-text", Static)
        body.update(help_text(groups) if groups else Text("No keys here."))

    def _screen_below(self) -> Screen[object] | None:
        stack = self.app.screen_stack
        if self in stack:
            index = stack.index(self)
            return stack[index - 1] if index > 0 else None
        return stack[-1] if stack else None

    def action_close(self) -> None:
        self.dismiss(None)
