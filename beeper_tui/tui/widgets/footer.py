"""The key footer, rebuilt only when the keys it shows change.

Textual's own footer queues a full recompose of all its keys for every bindings signal: each
focus change and each ``refresh_bindings()``. While the home screen starts and its data is still
on the way, several such signals arrive in a row, and the same dozen keys were rebuilt five times
(``benchmarks/launch.py``, 2 000 accounts over HTTP). This footer folds the signals into one
pending rebuild and skips it when the keys are the same as those already shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Footer as TextualFooter

if TYPE_CHECKING:
    from textual.screen import Screen

#: What decides how the footer looks: each key, label, action, state, tooltip, visibility.
KeysShown = tuple[tuple[str, str, str, bool, str, bool], ...]


class Footer(TextualFooter):
    """Textual's footer, without the redundant rebuilds."""

    def __init__(self) -> None:
        super().__init__()
        self._rebuild_pending = False
        self._keys_shown: KeysShown | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        # Textual's Footer.compose draws no key until its private ``_bindings_ready`` is set,
        # and the only thing that sets it is the ``bindings_changed`` this replaces: there is no
        # public hook (textual 8.2.8, the version the dev extra pins). Should a newer Textual
        # rename it, the footer shows no keys and every snapshot with a footer fails.
        self._bindings_ready = True
        if self._rebuild_pending or not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild_if_changed)

    def keys_shown(self) -> KeysShown:
        return tuple(
            (binding.key, binding.description, binding.action, enabled, tooltip, binding.show)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
        )

    async def _rebuild_if_changed(self) -> None:
        self._rebuild_pending = False
        if not self.is_attached:
            return
        keys = self.keys_shown()
        if keys != self._keys_shown:
            self._keys_shown = keys
            await self.recompose()
