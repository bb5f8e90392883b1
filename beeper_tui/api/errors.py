"""One hierarchy of API errors, each with a plain-language message and a hint.

No error ever holds the access token: messages are built from the status, the server's own
message and the endpoint path, never from request headers.
"""

from __future__ import annotations

from typing import Any

from beeper_tui.api.models import APIError, ValidationIssue


class BeeperError(Exception):
    """Base of every error the client raises. ``str(err)`` is the message a person reads."""

    default_message = "Something went wrong talking to Beeper Desktop."
    default_hint = ""

    def __init__(
        self,
        message: str | None = None,
        *,
        hint: str | None = None,
        status: int | None = None,
        code: str | None = None,
        endpoint: str | None = None,
        body: APIError | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.hint = self.default_hint if hint is None else hint
        self.status = status
        self.code = code
        self.endpoint = endpoint
        self.body = body
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status}, code={self.code!r})"

    @property
    def explanation(self) -> str:
        """Message and hint together, for a notification or stderr."""
        return f"{self.message} {self.hint}".strip() if self.hint else self.message


class Unreachable(BeeperError):
    default_message = "Can't reach Beeper Desktop."
    default_hint = "Beeper Desktop isn't running, or its API is off: Settings → Developers."


class ConnectionDropped(Unreachable):
    """The connection broke after the request was sent (e.g. mid long-poll)."""

    default_message = "The connection to Beeper Desktop dropped."
    default_hint = "Check that Beeper Desktop is still running, then retry."


class Unauthorized(BeeperError):
    default_message = "Beeper Desktop refused the access token."
    default_hint = (
        "Create a token in Beeper Desktop (Settings → Developers → Approved connections) "
        "and set BEEPER_ACCESS_TOKEN."
    )


class Forbidden(BeeperError):
    default_message = "The access token lacks the permission for this."
    default_hint = "Create a token with read and write access in Beeper Desktop."


class NotFound(BeeperError):
    default_message = "Not found."
    default_hint = "It may have expired or been removed; refresh and try again."


class Conflict(BeeperError):
    default_message = "Beeper Desktop reported a conflict."
    default_hint = "Something changed meanwhile; refresh and try again."


class Invalid(BeeperError):
    """A 400 or 422; ``issues`` carries ``details.issues`` with their paths."""

    default_message = "Beeper Desktop did not accept the request."

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.issues: list[ValidationIssue] = self.body.issues if self.body else []


class RateLimited(BeeperError):
    default_message = "Beeper Desktop asked us to slow down."

    def __init__(
        self, message: str | None = None, *, retry_after: float | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
        if retry_after is not None and "hint" not in kwargs:
            self.hint = f"Try again in {retry_after:g} s."


class ServerError(BeeperError):
    default_message = "Beeper Desktop had an internal error."
    default_hint = "Try again; if it persists, restart Beeper Desktop."


class ProtocolError(BeeperError):
    """Malformed JSON, or a response that does not fit the model: says which field, which
    endpoint."""

    default_message = "Beeper Desktop sent a response this version of beeper-tui can't read."
    default_hint = "Update beeper-tui, or report the response."


_BY_STATUS: dict[int, type[BeeperError]] = {
    400: Invalid,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: Invalid,
    429: RateLimited,
}


def error_class_for_status(status: int) -> type[BeeperError]:
    """The error class for an HTTP status (5xx → ServerError)."""
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, BeeperError)
