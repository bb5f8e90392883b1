"""The one text-safety policy: how text that came from the server is shown, on every surface.

Names, status texts, instructions, IDs, error messages, headers and prefilled values are data.
Whatever surface shows them (a screen, a notification, ``status``, ``watch``, stderr, JSON),
they pass through this module first, so that no byte the server sent ever reaches a terminal
as an escape, and the same hostile string looks the same everywhere:

- C0 controls become their visible Unicode symbols (ESC → ``␛``, NUL → ``␀``), DEL → ``␡``;
- C1 controls, lone surrogates, bidi and other invisible format characters (U+202E, U+2066,
  U+200B, U+FEFF…) become ``�``; the zero-width joiners of emoji sequences are kept;
- tabs become spaces; line breaks are kept only where a surface shows several lines
  (:func:`clean` with ``lines=True``), and are a space everywhere else, so an ID with a newline
  in it can never split a line of ``watch`` into two;
- widths are terminal cells (wide characters take two, combining marks none), and text cut to
  fit ends with ``…``.

Markup is not handled here: the TUI never parses server text as markup (it draws it as a rich
``Text``), and plain output has none. This module is headless: no textual import.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from typing import Any

ELLIPSIS = "…"
#: Longest piece of one-line server text ever looked at: no line shows more, and a
#: 10 000-character name then costs what 4 000 do. Text shown on several lines is kept whole.
SCAN_LIMIT = 4000

# Everything that may not reach a terminal as it is. Categories Cc (controls), Cs (lone
# surrogates), Cf (format: bidi embeddings, overrides and isolates, zero-width space, BOM…),
# plus line and paragraph separators. ZWNJ/ZWJ (U+200C/D) stay: emoji sequences need them.
_UNSAFE_CLASSES = ("Cc", "Cs", "Cf", "Zl", "Zp")
_KEEP = frozenset("\u200c\u200d")


def _is_unsafe(char: str) -> bool:
    return char not in _KEEP and unicodedata.category(char) in _UNSAFE_CLASSES


def _visible(char: str, lines: bool) -> str:
    """What an unsafe character is shown as."""
    code = ord(char)
    if char == "\n":
        return "\n" if lines else " "
    if char == "\t":
        return "    " if lines else " "
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "␡"
    return "\N{REPLACEMENT CHARACTER}"


_SAFE_ASCII = re.compile(r"[ -~]*")


def clean(text: object, *, lines: bool = False) -> str:
    """``text`` (any value, ``None`` as "") made safe to show: every control, surrogate and
    invisible format character visible, as the module's docstring says. With ``lines``, line
    breaks stay (CR LF and a lone CR become LF) and tabs are four spaces; without, both are
    one space."""
    if text is None:
        return ""
    text = text if isinstance(text, str) else str(text)
    if not lines and len(text) > SCAN_LIMIT:
        text = text[:SCAN_LIMIT] + ELLIPSIS
    if _SAFE_ASCII.fullmatch(text):
        return text  # the common case: nothing to do
    if lines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(_visible(ch, lines) if _is_unsafe(ch) else ch for ch in text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """``text`` with each lone surrogate (valid in JSON, impossible in UTF-8) as ``�``: the
    data itself otherwise, for where it must stay exact (a clipboard, a file)."""
    return text if text.isascii() else _SURROGATE.sub("\N{REPLACEMENT CHARACTER}", text)


def clean_lines(text: object) -> str:
    """:func:`clean` for a surface that shows several lines (instructions, messages)."""
    return clean(text, lines=True)


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes (of text already :func:`clean`): wide (East Asian, most
    emoji) 2, combining marks and joiners 0, the rest 1."""
    if text.isascii():
        return len(text)
    return sum(_char_width(ch) for ch in text)


def _cut(text: str, width: int) -> str:
    """The longest start of ``text`` that takes at most ``width`` cells."""
    if text.isascii():
        return text[:width]
    used = 0
    for index, char in enumerate(text):
        used += _char_width(char)
        if used > width:
            return text[:index]
    return text


def truncate(text: str, width: int, *, words: bool = False) -> str:
    """``text`` (already clean) cut to at most ``width`` cells, ending in ``…`` when cut.
    With ``words``, the cut falls at the end of a word when one ends in the last third."""
    if cell_width(text) <= width:
        return text
    if width <= 0:
        return ""
    start = _cut(text, width - 1)
    cut = start.rstrip()
    ends_a_word = cut != start or text[len(start)] == " "
    if words and not ends_a_word:
        space = cut.rfind(" ")
        if space >= (width * 2) // 3:
            cut = cut[:space].rstrip()
    return cut + ELLIPSIS


def _cut_end(text: str, width: int) -> str:
    """The longest end of ``text`` that takes at most ``width`` cells."""
    if text.isascii():
        return text[len(text) - width :] if width > 0 else ""
    used = 0
    for index in range(len(text) - 1, -1, -1):
        used += _char_width(text[index])
        if used > width:
            return text[index + 1 :]
    return text


def truncate_middle(text: str, width: int) -> str:
    """``text`` (already clean) cut to at most ``width`` cells by taking out its middle:
    ``local-wha…AAAA1``. For IDs, whose start says what they are and whose end tells two
    apart; a cut at the end would hide exactly what differs."""
    if cell_width(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    tail = (width - 1) * 2 // 5
    head = _cut(text, width - 1 - tail)
    end = _cut_end(text, width - 1 - cell_width(head))
    return head + ELLIPSIS + end


def one_line(
    text: object, limit: int | None = None, *, pad: bool = False, words: bool = False
) -> str:
    """Server text for one line of a terminal or a pipe: :func:`clean`, cut to ``limit``
    cells with ``…`` (at a word end with ``words``; padded to exactly ``limit`` with
    ``pad``)."""
    out = clean(text)
    if limit is None:
        return out
    out = truncate(out, limit, words=words)
    return out + " " * (limit - cell_width(out)) if pad else out


@lru_cache(maxsize=8192)
def fit(text: str, width: int, *, words: bool = False) -> str:
    """``text`` cleaned and padded or cut (with ``…``, at a word end with ``words``) to
    exactly ``width`` cells: a table cell. Cached: a list redraws the same cells often."""
    return one_line(text, width, pad=True, words=words)


def shown(value: object, limit: int = 160) -> str:
    """A server value inside prose (a notification, a detail line): clean, on one line, and
    cut with ``…`` past ``limit`` cells."""
    return one_line(value, limit)


# Written as "not 0x00-0x7E": the same characters as the range 0x7F-0x10FFFF, which takes
# re 3-10 ms to compile (on every start) where this takes 0.05.
_NON_ASCII = re.compile("[^\x00-\x7e]")


def _json_escape(match: re.Match[str]) -> str:
    """A character json.dumps leaves raw but a terminal would act on (DEL, C1), reorder
    (bidi) or cannot encode (a lone surrogate), as JSON escapes; any other one as it is."""
    char = match.group()
    if not _is_unsafe(char):
        return char
    code = ord(char)
    if code > 0xFFFF:  # JSON escapes are UTF-16: a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_dumps(value: Any, **options: Any) -> str:
    """``json.dumps`` whose output is safe to print: C0 controls are escaped by json itself,
    and every other character a terminal would act on is written as a ``\\uXXXX`` escape, so
    the data stays exact for a script and inert for a terminal."""
    out = json.dumps(value, ensure_ascii=False, **options)
    return _NON_ASCII.sub(_json_escape, out)
