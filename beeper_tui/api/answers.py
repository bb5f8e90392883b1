"""What Beeper Desktop's answer means, before any model reads it: its body (read under a size
cap), how long a ``Retry-After`` asks to wait, and the :mod:`errors` class a non-2xx answer is.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from beeper_tui.api import errors
from beeper_tui.api.models import APIError


async def read_body(response: httpx.Response, endpoint: str, cap: int) -> bytes:
    """The body, refused (:class:`errors.TooLarge`) past ``cap`` bytes without
    reading the rest. An error answer's body past the cap reads as empty: its status
    still says what went wrong."""
    declared = response.headers.get("Content-Length", "")
    over = declared.isdigit() and int(declared) > cap
    chunks: list[bytes] = []
    size = 0
    if not over:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > cap:
                over = True
                break
            chunks.append(chunk)
    if not over:
        return b"".join(chunks)
    if not response.is_success:
        return b""
    raise errors.TooLarge(
        f"Beeper Desktop sent more than {cap / (1024 * 1024):g} MB for {endpoint}; "
        "beeper-tui stopped reading it.",
        endpoint=endpoint,
    )


def retry_after_of(response: httpx.Response) -> float | None:
    """The seconds a ``Retry-After`` header asks to wait (a number), or None."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def error_for(
    response: httpx.Response,
    content: bytes,
    endpoint: str,
    retry_after: float | None,
    redact: Callable[[str], str],
) -> errors.BeeperError:
    """The error for a non-2xx answer. Its body is read leniently: one that is not JSON,
    not an object, or not the official shape still gives the error of its status. ``redact``
    takes the token out of the message."""
    status = response.status_code
    body: APIError | None = None
    try:
        raw = json.loads(content)
        body = APIError.model_validate(raw) if isinstance(raw, dict) else None
    except (ValueError, RecursionError):
        body = None
    cls = errors.error_class_for_status(status)
    server_message = body.message.strip() if body and body.message else ""
    if cls in (errors.Unauthorized, errors.Forbidden, errors.ServerError) or not server_message:
        message = cls.default_message
        if server_message and cls is not errors.Unauthorized:
            message = f"{message} ({server_message})"
    else:
        message = server_message
    if cls is errors.BeeperError:
        message = f"Beeper Desktop answered {status} to {endpoint}: {message}"
    kwargs: dict[str, Any] = {
        "status": status,
        "code": body.code if body else None,
        "endpoint": endpoint,
        "body": body,
    }
    if cls is errors.RateLimited:
        return errors.RateLimited(redact(message), retry_after=retry_after, **kwargs)
    return cls(redact(message), **kwargs)
