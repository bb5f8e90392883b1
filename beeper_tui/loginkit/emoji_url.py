"""The emoji an emoji-verification image shows, read from the image's URL.

Emoji image sets name their files after the code points: ``…/1f984/512.png`` (Noto animated),
``emoji_u1f984.png`` (Noto), ``1f984.svg`` or ``1f468-200d-1f469.png`` (Twemoji). A terminal
can show the emoji itself next to the link, so the person compares it with their phone without
opening a browser. A URL that names no emoji gives None.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

# A path segment that is a code point sequence, maybe with a set's prefix and an extension.
_SEGMENT = re.compile(
    r"(?:emoji_?u|u)?([0-9a-f]{2,6}(?:[-_][0-9a-f]{2,6})*)(?:\.[a-z0-9]+)?", re.IGNORECASE
)
# Where emoji live (the first code point of a sequence must be in one of these).
_EMOJI_RANGES = (
    (0x1F000, 0x1FAFF),  # pictographs, emoticons, transport, flags, supplemental symbols
    (0x2190, 0x21FF),  # arrows (↔️)
    (0x2300, 0x23FF),  # technical (⌚ ⏰)
    (0x2460, 0x27BF),  # enclosed alphanumerics, shapes, misc symbols, dingbats
    (0x2900, 0x297F),
    (0x2B00, 0x2BFF),  # ⬆️ ⭐
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3299),
    (0x00A9, 0x00AE),  # © ®
    (0x203C, 0x2049),  # ‼ ⁉
    (0x2122, 0x2139),  # ™ ℹ
)
_KEYCAP_BASES = frozenset(map(ord, "#*0123456789"))


def _is_emoji_start(codepoints: list[int]) -> bool:
    first = codepoints[0]
    if first in _KEYCAP_BASES:
        return 0x20E3 in codepoints
    return any(low <= first <= high for low, high in _EMOJI_RANGES)


def emoji_from_url(url: str) -> str | None:
    """The emoji named by ``url``'s file name or folder, or None."""
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return None
    for segment in reversed([part for part in path.split("/") if part]):
        match = _SEGMENT.fullmatch(segment)
        if not match:
            continue
        codepoints = [int(part, 16) for part in re.split(r"[-_]", match.group(1))]
        if all(point <= 0x10FFFF for point in codepoints) and _is_emoji_start(codepoints):
            return "".join(map(chr, codepoints))
    return None


def emoji_name(emoji: str) -> str:
    """A lower-case name to say beside the emoji ("unicorn face"); "" when Unicode has none
    (sequences such as flags or families)."""
    points = [char for char in emoji if char not in "\ufe0f\u200d"]
    if len(points) != 1:
        return ""
    return unicodedata.name(points[0], "").lower()
