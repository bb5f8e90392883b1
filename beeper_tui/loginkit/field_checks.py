"""The checks a login form runs before it submits, in the same terms as the bridges upstream.

``check_field`` returns the value to send (normalised: a phone number loses its spaces) and a
message for the person when the value will not do. The server still has the last word; these
checks only spare a round trip for the mistakes everybody makes.
"""

from __future__ import annotations

import re
from typing import Any

from beeper_tui.api.models import LoginInputField

MASKED_TYPES = frozenset({"password", "2fa_code", "token"})
"""Field types whose value is hidden while typed (with a reveal toggle)."""

_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
_PHONE = re.compile(r"\+\d+")


def is_masked(field: LoginInputField) -> bool:
    """True for secrets: passwords, 2FA codes, tokens."""
    return (field.type or "") in MASKED_TYPES


def option_choices(field: LoginInputField) -> list[tuple[str, str]]:
    """A select field's choices as (label, value): options may be plain strings or
    ``{value, label}`` / ``{id, name}`` objects."""
    raw: Any = (field.model_extra or {}).get("options")
    if not isinstance(raw, list):
        return []
    choices: list[tuple[str, str]] = []
    for item in raw:
        if isinstance(item, str):
            choices.append((item, item))
        elif isinstance(item, dict):
            value = item.get("value", item.get("id"))
            if value is None:
                continue
            label = item.get("label", item.get("name", value))
            choices.append((str(label), str(value)))
    return choices


def normalize(field: LoginInputField, value: str) -> str:
    """The value as it will be sent: trimmed where spaces mean nothing, phone numbers without
    separators, 2FA codes without the space people copy from ``123 456``."""
    kind = field.type or ""
    if kind == "password":  # spaces in a password may be meant
        return value
    value = value.strip()
    if kind == "phone_number":
        return _PHONE_SEPARATORS.sub("", value)
    if kind == "2fa_code":
        return re.sub(r"\s", "", value)
    return value


def _pattern_error(field: LoginInputField, pattern: str, value: str) -> str | None:
    """An error when ``value`` does not fully match the server's ``pattern``; a pattern that
    is not a valid regular expression is skipped, never a crash."""
    try:
        matches = re.fullmatch(pattern, value) is not None
    except (re.error, RecursionError, OverflowError):
        return None
    if matches:
        return None
    example = f" (like {field.placeholder})" if field.placeholder else ""
    return f"This doesn't have the expected format{example}."


def check_field(field: LoginInputField, value: str | None) -> tuple[str, str | None]:
    """(value to send, error message or None) for ``value`` typed into ``field``."""
    normalized = normalize(field, value or "")
    if not normalized.strip():
        if field.optional:
            return "", None
        return normalized, "This is required."
    kind = field.type or ""
    if kind == "phone_number" and not _PHONE.fullmatch(normalized):
        return normalized, "Enter the number with + and the country code, e.g. +14155552671."
    if kind == "email":
        local, at, domain = normalized.partition("@")
        if not (local and at and domain):
            return normalized, "An email address needs an @, e.g. alice@example.com."
    choices = [choice for _, choice in option_choices(field)]
    if choices and normalized not in choices:
        return normalized, "Choose one of the options."
    if field.pattern:
        error = _pattern_error(field, field.pattern, normalized)
        if error:
            return normalized, error
    return normalized, None
