"""What the API's status values mean, in a person's words, and the grammar around a network's
name ("an iMessage account"). The detail pane and the bridges view say these words first and
the API value after, quietly, for whoever needs to look it up.

An unknown value (a newer Beeper Desktop) reads as itself, underscores as spaces. No textual.
"""

from __future__ import annotations

_ACCOUNT = {
    "connected": "connected",
    "connecting": "connecting",
    "backfilling": "catching up on messages",
    "connection_required": "not connected yet",
    "reconnect_required": "must sign in again",
    "attention_required": "needs you to act",
    "disconnected": "disconnected",
    "disabled": "turned off",
}
_LOGIN = {
    "connected": "connected",
    "connecting": "connecting",
    "needs_login": "must sign in again",
    "logged_out": "signed out",
    "unknown": "state unknown",
}
_BRIDGE = {
    "available": "available",
    "connected": "connected",
    "limit_reached": "at its limit",
    "temporarily_unavailable": "unavailable now",
    "disabled": "turned off",
}
_BRIDGE_GLYPHS = {
    "available": "+",
    "connected": "✔",
    "limit_reached": "✖",
    "temporarily_unavailable": "…",
    "disabled": "–",
}
_LOGIN_GLYPHS = {"connected": "✔", "connecting": "↻", "needs_login": "✖", "logged_out": "✖"}


def _as_words(value: str) -> str:
    return value.replace("_", " ")


def account_status_words(status: str) -> str:
    """``reconnect_required`` → ``must sign in again``."""
    return _ACCOUNT.get(status, _as_words(status))


def login_status_words(status: str) -> str:
    """``logged_out`` → ``signed out``."""
    return _LOGIN.get(status, _as_words(status))


def login_glyph(status: str) -> str:
    """The mark beside a login's status, so it never rests on colour alone."""
    return _LOGIN_GLYPHS.get(status, "?")


def api_value_differs(words: str, value: str) -> bool:
    """True when the words do not already say the API value (then it is worth adding)."""
    return words.casefold() != _as_words(value).casefold()


def bridge_status_words(status: str) -> str:
    """``limit_reached`` → ``at its limit``."""
    return _BRIDGE.get(status, _as_words(status))


def bridge_glyph(status: str) -> str:
    """The mark beside a bridge's status."""
    return _BRIDGE_GLYPHS.get(status, "?")


#: Starts of words that begin with a consonant sound although spelled with a vowel.
_YOU_SOUNDS = ("uni", "use", "usa", "uber", "eu", "one")
#: Letters whose names start with a vowel sound ("an X", "an SMS", "an IRC").
_VOWEL_SOUND_LETTERS = frozenset("AEFHILMNORSX")


def article(name: str) -> str:
    """``a`` or ``an`` before ``name``, by how it sounds: an iMessage, an X, an IRC, an SMS;
    a WhatsApp, a Slack, a LinkedIn, a Beeper."""
    word = name.strip().split(" ", 1)[0]
    if not word:
        return "a"
    spelled = word.isupper() and len(word) <= 4  # an initialism, read letter by letter
    first = word[0]
    if spelled:
        return "an" if first in _VOWEL_SOUND_LETTERS else "a"
    if word.casefold().startswith(_YOU_SOUNDS):
        return "a"
    return "an" if first.casefold() in "aeiou" else "a"


def an_account_of(name: str) -> str:
    """``an iMessage account``, ``a WhatsApp account``."""
    return f"{article(name)} {name} account"
