"""The simulator's HTTP errors, shaped like the official error body ``{message, code, details?}``.

World methods raise :class:`SimError`; the app turns it into a JSON response. Validation
errors carry ``details.issues`` — ``[{code, message, path}]`` with zod-style codes
(``invalid_type``, ``invalid_string``, ``invalid_enum_value``, ``too_small``), as the real
server does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

UNAUTHORIZED_MESSAGE = "Unauthorized: Invalid or missing token"

#: Message and code of an error body for a bare status (faults, router errors).
STATUS_BODIES: dict[int, tuple[str, str]] = {
    400: ("Bad request", "bad_request"),
    401: (UNAUTHORIZED_MESSAGE, "unauthorized"),
    403: ("Forbidden: the access token lacks the required scope", "forbidden"),
    404: ("Not found", "not_found"),
    405: ("Method not allowed", "method_not_allowed"),
    409: ("Conflict with the current state", "conflict"),
    422: ("Unprocessable entity", "unprocessable_entity"),
    429: ("Too many requests: slow down and retry later", "rate_limited"),
    500: ("Internal server error", "internal_error"),
    502: ("Bad gateway: a bridge did not answer", "bad_gateway"),
    503: ("Service unavailable", "service_unavailable"),
}


def status_body(status: int) -> dict[str, Any]:
    """The error body a bare ``status`` answers with."""
    message, code = STATUS_BODIES.get(status, (f"HTTP {status}", f"http_{status}"))
    return {"message": message, "code": code}


@dataclass
class Issue:
    """One validation problem, pointing at the offending part of the request."""

    code: str
    message: str
    path: Sequence[str | int]

    def to_wire(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "path": list(self.path)}


@dataclass
class SimError(Exception):
    """An HTTP error answer: status, machine code, human message, optional details."""

    status: int
    code: str
    message: str
    details: dict[str, Any] | None = field(default=None)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def to_wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.details is not None:
            body["details"] = self.details
        return body


def invalid(issues: Sequence[Issue], status: int = 400) -> SimError:
    """A validation error whose message repeats the issues, for clients that show only that."""
    message = "; ".join(issue.message for issue in issues) or "Invalid request"
    details = {"issues": [issue.to_wire() for issue in issues]}
    return SimError(status, "validation_error", message, details)


def not_found(message: str) -> SimError:
    return SimError(404, "not_found", message)


def conflict(code: str, message: str) -> SimError:
    return SimError(409, code, message)
