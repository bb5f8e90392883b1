"""One hierarchy of API errors, each with a plain-language message and a hint.

No error ever holds the access token: messages are built from the status, the server's own
message and the endpoint path, never from request headers.
"""

from __future__ import annotations

import re
from typing import Any

from beeper_tui import __version__
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
        """Message and hint together, for a notification or stderr: two sentences, so a
        server message without a full stop ("Not found") never runs into the hint."""
        if not self.hint:
            return self.message
        return f"{sentence(self.message)} {self.hint}".strip()


def sentence(text: str) -> str:
    """``text`` ending as a sentence does (``.``, ``!``, ``?``, ``…`` or ``:``), so that
    another sentence can follow it."""
    text = text.rstrip()
    if not text or text[-1] in ".!?…:":
        return text
    return text + "."


class Unreachable(BeeperError):
    default_message = "Can't reach Beeper Desktop."
    default_hint = "Beeper Desktop isn't running, or its API is off: Settings → Developers."


class TimedOut(Unreachable):
    """Beeper Desktop accepted the connection but did not answer in full within the deadline
    (a slow or stuck server, or a body dripped byte by byte): it *is* running."""

    default_message = "Beeper Desktop is answering too slowly."
    default_hint = "It is running but did not answer in time; try again, or restart it."


class TLSFailed(Unreachable):
    """The TLS handshake failed: https against a plain-http server, or a certificate that
    is not trusted."""

    default_message = "Can't set up a secure (https) connection to Beeper Desktop."
    default_hint = "Beeper Desktop serves plain http on this computer: use an http:// address."


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


class RequestNotSent(BeeperError):
    """beeper-tui could not even send the request (an invalid header, e.g. from
    ``BEEPER_CUSTOM_HEADERS``). Never names a header value: it may be a secret."""

    default_message = "beeper-tui could not send the request: a header is not valid HTTP."
    default_hint = "Check BEEPER_CUSTOM_HEADERS: each line is Name: value, names without spaces."


class ProtocolError(BeeperError):
    """Malformed JSON, or a response that does not fit the model: says which field, which
    endpoint."""

    default_message = "Beeper Desktop sent a response this version of beeper-tui can't read."
    default_hint = "Update beeper-tui, or report the response."


class TooLarge(ProtocolError):
    """A response larger than the client reads (see ``BeeperClient.max_body``)."""

    default_message = "Beeper Desktop sent a response too large to read."
    default_hint = "This is not what Beeper Desktop sends; restart it, or report the response."


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


# --- Errors that name the version ----------------------------------------------------------

#: Paths every Beeper Desktop with the API serves: a 404 there means it does not speak the
#: API this beeper-tui does.
ALWAYS_SERVED = frozenset({"/v1/info", "/v1/accounts", "/v1/bridges"})
_OUT_OF_DATE = re.compile(
    r"out of date|outdated|too old|upgrade required|unsupported (?:api |client )?version"
    r"|update (?:beeper|the app|your client|the client)",
    re.IGNORECASE,
)
#: A router's "no such route" (Fastify's ``Route GET:/v1/x not found``), as opposed to a
#: resource the server looked for and did not find.
_NO_SUCH_ROUTE = re.compile(r"^route \S+ not found\.?$", re.IGNORECASE)


def suggests_version_mismatch(error: BeeperError) -> bool:
    """Whether a refusal looks like Beeper Desktop and beeper-tui not speaking the same API:
    426 Upgrade Required, a message saying the client is out of date, or a 404 on a path
    every Beeper Desktop serves, from the router itself, or without the API's error body
    (not a bridge or session that is gone, which the server names)."""
    if error.status == 426:
        return True
    said = (error.body.message if error.body else "").strip()
    if _OUT_OF_DATE.search(said):
        return True
    if error.status != 404:
        return False
    path = (error.endpoint or "").partition(" ")[2]
    return path in ALWAYS_SERVED or not said or bool(_NO_SUCH_ROUTE.match(said))


def name_the_version(error: BeeperError, server_version: str | None) -> BeeperError:
    """``error``, whose hint names the Beeper Desktop version when the refusal suggests a
    version mismatch (so every surface that shows ``explanation`` says it)."""
    if suggests_version_mismatch(error):
        desktop = f"Beeper Desktop {server_version}" if server_version else "This Beeper Desktop"
        error.hint = (
            f"{desktop} may not speak the API beeper-tui {__version__} uses: "
            "update Beeper Desktop (or beeper-tui)."
        )
    return error
