"""The kinds of step a simulated login flow is made of; each kind knows everything about itself.

Every step is a :class:`Step` and answers the session machinery (``session_flow.py``) the same
few questions, so no code elsewhere asks which kind of step it holds:

- ``status`` — the session's status while the step is current;
- ``submit_type`` — the ``type`` a submission of it must carry;
- ``waits`` — whether a submission long-polls until the phone side acts;
- ``to_wire(data)`` — its ``currentStep`` JSON (``data``: what a displayed step shows now);
- ``accept(body)`` — the cleaned fields of a submission, or the 400 the server answers;
- ``failure(cleaned)`` — the error that ends the session on a wrong answer, if any.

A new kind of step is one class here and one entry in :data:`KINDS`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from beeper_tui.sim import inputs
from beeper_tui.sim.errors import Issue, SimError, invalid
from beeper_tui.sim.inputs import Cookie, Field


class Step:
    """What every kind of step answers; the defaults are those of a step nobody can submit."""

    status: ClassVar[str] = "waiting_for_input"
    submit_type: ClassVar[str | None] = None
    waits: ClassVar[bool] = False
    step_id: str
    instructions: str

    def to_wire(self, data: str | None = None) -> dict[str, Any]:
        """The step as a session's ``currentStep``."""
        raise NotImplementedError

    def accept(self, body: Mapping[str, Any]) -> dict[str, str]:
        """The cleaned ``fields`` of a submission ``body``; raises the server's 400 when the
        body has another ``type`` or its fields do not pass the checks."""
        if body.get("type") != self.submit_type:
            message = (
                f"The current step expects type {self.submit_type!r}, not {body.get('type')!r}"
            )
            raise invalid([Issue("invalid_literal", message, ("body", "type"))])
        cleaned, issues = self.check(body.get("fields") or {})
        if issues:
            raise invalid(issues)
        return cleaned

    def check(self, submitted: Mapping[str, str]) -> tuple[dict[str, str], list[Issue]]:
        """Cleaned values of the submitted fields and their issues; a step without fields
        takes none."""
        return {}, []

    def failure(self, cleaned: Mapping[str, str]) -> dict[str, str] | None:
        """The session's ``error`` when these (valid) values are the wrong answer."""
        return None


@dataclass(frozen=True)
class Ask(Step):
    """A ``user_input`` form. ``must_be`` names fields whose value has to be exactly right
    (Telegram's login code ``12345``); anything else fails the session with ``wrong``."""

    submit_type: ClassVar[str | None] = "user_input"

    step_id: str
    instructions: str
    fields: tuple[Field, ...]
    must_be: Mapping[str, str] = field(default_factory=dict)
    wrong: tuple[str, str] = ("invalid_input", "That is not right. Start again.")

    def to_wire(self, data: str | None = None) -> dict[str, Any]:
        fields = [spec.to_wire() for spec in self.fields]
        return {
            "type": "user_input",
            "stepID": self.step_id,
            "fields": fields,
            "instructions": self.instructions,
        }

    def check(self, submitted: Mapping[str, str]) -> tuple[dict[str, str], list[Issue]]:
        return inputs.check_user_input(self.fields, submitted)

    def failure(self, cleaned: Mapping[str, str]) -> dict[str, str] | None:
        if all(cleaned.get(key) == value for key, value in self.must_be.items()):
            return None
        code, message = self.wrong
        return {"code": code, "message": message}


@dataclass(frozen=True)
class AskCookies(Step):
    """A ``cookies`` step; ``checks`` are (field, regex, message) the submitted values must
    pass, else a 400 validation error (the session stays on the step)."""

    status: ClassVar[str] = "waiting_for_cookies"
    submit_type: ClassVar[str | None] = "cookies"

    step_id: str
    instructions: str
    url: str
    fields: tuple[Cookie, ...]
    user_agent: str | None = None
    expected_final_url_regex: str | None = None
    extract_js: str | None = None
    checks: tuple[tuple[str, str, str], ...] = ()

    def to_wire(self, data: str | None = None) -> dict[str, Any]:
        wire: dict[str, Any] = {
            "type": "cookies",
            "stepID": self.step_id,
            "url": self.url,
            "fields": [cookie.to_wire() for cookie in self.fields],
        }
        for key, value in (
            ("userAgent", self.user_agent),
            ("expectedFinalURLRegex", self.expected_final_url_regex),
            ("extractJS", self.extract_js),
        ):
            if value is not None:
                wire[key] = value
        wire["instructions"] = self.instructions
        return wire

    def check(self, submitted: Mapping[str, str]) -> tuple[dict[str, str], list[Issue]]:
        return inputs.check_cookies(self.fields, self.checks, submitted)


@dataclass(frozen=True)
class Show(Step):
    """A ``display_and_wait`` step (qr, emoji, code or nothing). It ends when the phone side
    "scans" it (``World.scan``, or by itself after ``autoscan`` seconds). ``data`` draws what it
    shows; a QR with ``rotates=True`` gets new data under the same stepID on the World's
    rotation schedule, and the session fails with ``timeout`` once the codes run out."""

    status: ClassVar[str] = "waiting_for_display"
    submit_type: ClassVar[str | None] = "display_and_wait"
    waits: ClassVar[bool] = True

    step_id: str
    display: str  # qr | emoji | code | nothing
    instructions: str
    data: Callable[[random.Random], str] | None = None
    rotates: bool = False

    def to_wire(self, data: str | None = None) -> dict[str, Any]:
        shown: dict[str, Any] = {"type": self.display}
        if self.display == "emoji":
            shown["imageURL"] = data or ""
        elif self.display in ("qr", "code"):
            shown["data"] = data or ""
        return {
            "type": "display_and_wait",
            "stepID": self.step_id,
            "display": shown,
            "instructions": self.instructions,
        }


@dataclass(frozen=True)
class Unsupported(Step):
    """A step type the API cannot drive (``webauthn``): every submission is refused, only
    cancelling helps. ``extra`` are the type's own keys, sent as they are."""

    step_id: str
    type: str
    instructions: str
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_wire(self, data: str | None = None) -> dict[str, Any]:
        return {
            "type": self.type,
            "stepID": self.step_id,
            **self.extra,
            "instructions": self.instructions,
        }

    def accept(self, body: Mapping[str, Any]) -> dict[str, str]:
        raise SimError(
            400,
            "unsupported_step",
            f"The {self.type} step can't be completed through the API. "
            "Cancel and choose another way to sign in.",
        )


#: Every kind of step a flow may hold.
KINDS: tuple[type[Step], ...] = (Ask, AskCookies, Show, Unsupported)

#: The ``type`` values a step submission may carry (the request body's enum).
SUBMIT_TYPES: tuple[str, ...] = tuple(kind.submit_type for kind in KINDS if kind.submit_type)
