"""The fields a login step asks for (a form's :class:`Field`, a cookie step's :class:`Cookie`)
and the server-side checks of what is submitted, as the upstream bridge framework does them.

- phone numbers lose spaces, dashes and parentheses, then must be ``+`` and digits;
- an email needs an ``@``; a domain needs a dot; a URL needs http(s);
- a ``select`` value must be one of its options; a field's ``pattern`` must match;
- every non-optional field must be present and non-empty.

Each problem becomes an :class:`Issue` at ``["body", "fields", <id>]``; the caller answers
400 and the session stays on the same step.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from beeper_tui.sim.errors import Issue

_PHONE_NOISE = re.compile(r"[\s\-()]")
_DOMAIN = re.compile(r"^(?=.{4,253}$)([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}$")


@dataclass(frozen=True)
class Field:
    """One ``user_input`` field; ``pattern``, ``options``, ``description`` are upstream extras."""

    id: str
    type: str
    label: str
    placeholder: str | None = None
    optional: bool = False
    pattern: str | None = None
    options: tuple[str, ...] = ()
    description: str | None = None
    initial_value: str | None = None

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"id": self.id, "type": self.type, "label": self.label}
        if self.placeholder is not None:
            wire["placeholder"] = self.placeholder
        if self.initial_value is not None:
            wire["initialValue"] = self.initial_value
        if self.optional:
            wire["optional"] = True
        if self.pattern is not None:
            wire["pattern"] = self.pattern
        if self.options:
            wire["options"] = list(self.options)
        if self.description is not None:
            wire["description"] = self.description
        return wire


@dataclass(frozen=True)
class Cookie:
    id: str
    type: str  # cookie | header | local_storage
    name: str

    def to_wire(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "name": self.name}


def clean_phone_number(value: str) -> tuple[str, str | None]:
    """The number without spaces/dashes/parentheses, and what is wrong with it (or None)."""
    number = _PHONE_NOISE.sub("", value)
    if len(number) < 2:
        return number, "The phone number is too short"
    if not number.startswith("+"):
        return number, "Enter the phone number in international format, starting with +"
    if not number[1:].isdigit():
        return number, "A phone number may only contain digits after the +"
    return number, None


def _field_problem(spec: Field, value: str) -> tuple[str, str | None]:
    """The cleaned value and a problem message, if any, for a present value."""
    if spec.type == "phone_number":
        value, problem = clean_phone_number(value)
        if problem:
            return value, problem
    elif spec.type == "email" and "@" not in value:
        return value, "Enter an email address with an @"
    elif spec.type == "domain" and not _DOMAIN.match(value):
        return value, "Enter a domain name such as example.com"
    elif spec.type == "url" and not re.match(r"^https?://\S+$", value):
        return value, "Enter a URL starting with https://"
    elif spec.type == "select" and spec.options and value not in spec.options:
        return value, f"Choose one of: {', '.join(spec.options)}"
    if spec.pattern and not re.search(spec.pattern, value):
        return value, f"{spec.label} is not in the expected format"
    return value, None


def check_user_input(
    fields: Sequence[Field], submitted: Mapping[str, str]
) -> tuple[dict[str, str], list[Issue]]:
    """Cleaned values of a ``user_input`` submission to a form of ``fields`` and its issues
    (empty when valid)."""
    cleaned: dict[str, str] = {}
    issues: list[Issue] = []
    for spec in fields:
        path = ("body", "fields", spec.id)
        value = submitted.get(spec.id, "")
        if not value.strip():
            if not spec.optional:
                issues.append(Issue("invalid_type", f"{spec.label} is required", path))
            continue
        value, problem = _field_problem(spec, value.strip())
        if problem:
            code = "invalid_enum_value" if spec.type == "select" else "invalid_string"
            issues.append(Issue(code, problem, path))
        cleaned[spec.id] = value
    return cleaned, issues


def check_cookies(
    fields: Sequence[Cookie], checks: Sequence[tuple[str, str, str]], submitted: Mapping[str, str]
) -> tuple[dict[str, str], list[Issue]]:
    """Values of a ``cookies`` submission and its issues: every field required, each
    (field, regex, message) of ``checks`` applied."""
    cleaned: dict[str, str] = {}
    issues: list[Issue] = []
    for cookie in fields:
        value = submitted.get(cookie.id, "").strip()
        if not value:
            message = f"The {cookie.name} {cookie.type.replace('_', ' ')} value is required"
            issues.append(Issue("invalid_type", message, ("body", "fields", cookie.id)))
        else:
            cleaned[cookie.id] = value
    for field_id, regex, message in checks:
        if field_id in cleaned and not re.search(regex, cleaned[field_id]):
            issues.append(Issue("invalid_string", message, ("body", "fields", field_id)))
    return cleaned, issues
