"""Text from the server made safe to draw in a terminal.

Instructions, labels and error messages are data. Markup is not an issue here (the widgets
never parse server text as markup), but control characters are: an escape sequence in an
instruction would reach the terminal. ``printable`` shows each control character as its visible
Unicode symbol (ESC → ␛) and keeps line breaks.
"""

from __future__ import annotations

import re

# C0 and C1 controls except newline; DEL; bidi overrides that would reorder what is shown.
_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _symbol(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char == "\t":
        return "    "
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "␡"
    return "�"


def printable(text: str | None) -> str:
    """``text`` with CR LF as LF and every other control character made visible."""
    if not text:
        return ""
    return _CONTROLS.sub(_symbol, text.replace("\r\n", "\n"))
