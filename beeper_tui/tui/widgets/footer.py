"""The key bar at the bottom of every screen: the keys that matter here, in one line that fits.

One widget draws every key (Textual's own footer mounts a widget per key and remounts them all
whenever the keys change: on every wizard step, that was a third of the swap). When the line is
too narrow for every key, the last ones give way — never the help key, which then says "more
keys", nor quit — so that at 80 columns nothing is cut in half; every key is in ``?``. The
command palette's key sits at the right end. A click on a key presses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.binding import ActiveBinding, Binding
from textual.widget import Widget

from beeper_tui.text import cell_width

#: Actions whose keys stay when the line is short: help (it lists the rest) and quit.
KEPT_ACTIONS = frozenset({"app.help", "help", "app.quit", "quit"})
HELP_ACTIONS = frozenset({"app.help", "help"})


@dataclass(frozen=True)
class KeyShown:
    """One key on the bar: what is pressed, how it is drawn, what it says."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool

    @property
    def width(self) -> int:
        """Cells it takes: `` key `` then ``description `` (as Textual's footer draws it)."""
        return cell_width(self.display) + 2 + cell_width(self.description) + 1


def fit_keys(keys: list[KeyShown], width: int) -> list[KeyShown]:
    """The keys that fit in ``width`` cells, in order: the last ones give way first, the help
    and quit keys never (once any key gives way, help says "more keys")."""
    kept = list(keys)
    while sum(k.width for k in kept) > width:
        droppable = [i for i, k in enumerate(kept) if k.action not in KEPT_ACTIONS]
        if not droppable:
            break
        del kept[droppable[-1]]
        kept = [
            KeyShown(k.key, k.display, "more keys", k.action, k.enabled)
            if k.action in HELP_ACTIONS
            else k
            for k in kept
        ]
    return kept


class Footer(Widget):
    """The screen's keys on one line; rebuilt (one repaint) whenever they change."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer--key", "footer--description", "footer--disabled"}

    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        .footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer--disabled { text-style: dim; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Any) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def _active_bindings(
        self, bindings: dict[str, ActiveBinding] | None
    ) -> dict[str, ActiveBinding]:
        """The screen's active bindings (given, or asked for: asking walks the focus chain and
        checks every action, so a draw asks once)."""
        return self.screen.active_bindings if bindings is None else bindings

    def _palette_key(self, bindings: dict[str, ActiveBinding] | None = None) -> KeyShown | None:
        if not self.app.ENABLE_COMMAND_PALETTE:
            return None
        found = self._active_bindings(bindings).get(self.app.COMMAND_PALETTE_BINDING)
        if found is None:
            return None
        _node, binding, enabled, _tooltip = found
        return self._shown(binding, enabled)

    def _shown(self, binding: Binding, enabled: bool) -> KeyShown:
        display = self.app.get_key_display(binding)
        return KeyShown(binding.key, display, binding.description, binding.action, enabled)

    def shown_keys(self, bindings: dict[str, ActiveBinding] | None = None) -> list[KeyShown]:
        """Every key this screen shows on the bar, before fitting (one per action)."""
        keys: dict[str, KeyShown] = {}
        palette = self.app.COMMAND_PALETTE_BINDING if self.app.ENABLE_COMMAND_PALETTE else None
        for key, (_node, binding, enabled, _tooltip) in self._active_bindings(bindings).items():
            if binding.show and key != palette and binding.action not in keys:
                keys[binding.action] = self._shown(binding, enabled)
        return list(keys.values())

    def visible_keys(self, bindings: dict[str, ActiveBinding] | None = None) -> list[KeyShown]:
        """The keys drawn at the bar's current width."""
        bindings = self._active_bindings(bindings)
        palette = self._palette_key(bindings)
        room = self.size.width - (palette.width + 1 if palette else 0)
        return fit_keys(self.shown_keys(bindings), room)

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer--key")
        description_style = self.get_component_rich_style("footer--description")
        dim = self.get_component_rich_style("footer--disabled")
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, str]] = []

        def draw(key: KeyShown) -> None:
            start = line.cell_len
            disabled = not key.enabled
            line.append(f" {key.display} ", key_style + dim if disabled else key_style)
            line.append(
                f"{key.description} ", description_style + dim if disabled else description_style
            )
            spans.append((start, line.cell_len, key.key))

        bindings = self.screen.active_bindings
        for key in self.visible_keys(bindings):
            draw(key)
        palette = self._palette_key(bindings)
        if palette is not None:
            gap = self.size.width - line.cell_len - palette.width - 1
            line.append(" " * max(gap, 0) + "▏")
            draw(palette)
        self._spans = spans
        return line

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses that key."""
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
