"""``Dialog``: the framed box a modal screen asks its question in."""

from __future__ import annotations

from textual.containers import Vertical


class Dialog(Vertical):
    """A bordered, padded box as tall as its content. A screen sets its width and may recolour
    its border (``$error`` for a removal, ``$warning`` for a pause) or cap its height."""

    DEFAULT_CSS = """
    Dialog {
        width: 72;
        max-width: 95%;
        height: auto;
        padding: 1 2;
        border: thick $primary;
        background: $surface;
    }
    """
