"""Error bodies (``{message, code, details?}``, also a failed session's ``error``) and their
validation issues, read leniently: whatever a server puts there still reads as an error."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from pydantic import model_validator

from beeper_tui.api.models.wire import WireModel


def _text_or_empty(value: Any) -> str:
    """A string field of an error body, whatever the server put there: a string as it is,
    ``None`` as "", any other JSON value as its JSON text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=True, default=str)[:1000]
    except (ValueError, RecursionError):
        return type(value).__name__


class ValidationIssue(WireModel):
    """One ``details.issues[]`` item. Read leniently: path items may be numbers of any
    kind (the contract allows ``1.5``) and a missing or odd ``code``/``message`` is ""."""

    code: str = ""
    message: str = ""
    path: list[str | int] = []

    @model_validator(mode="before")
    @classmethod
    def _lenient(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return {}
        path = data.get("path")
        items = path if isinstance(path, list) else []
        return {
            **data,
            "code": _text_or_empty(data.get("code")),
            "message": _text_or_empty(data.get("message")),
            "path": [
                item
                if isinstance(item, str | int) and not isinstance(item, bool)
                else _text_or_empty(item)
                for item in items
            ],
        }


class APIError(WireModel):
    """An error body: ``{message, code, details?}``; also a failed session's ``error``.
    Read leniently: a body whose ``message`` or ``code`` is not a string still is an error
    with what can be read of it (any JSON value reads; a non-object reads as empty)."""

    code: str = "error"
    message: str = ""
    details: Any = None

    @model_validator(mode="before")
    @classmethod
    def _lenient(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return {}
        out = dict(data)
        if "code" in out:
            out["code"] = _text_or_empty(out["code"]) or "error"
        if "message" in out:
            out["message"] = _text_or_empty(out["message"])
        return out

    @property
    def issues(self) -> list[ValidationIssue]:
        """``details.issues`` of a validation error, parsed; [] when there are none.
        Never raises: an item that cannot be read is left out."""
        if not isinstance(self.details, dict):
            return []
        raw = self.details.get("issues")
        if not isinstance(raw, list):
            return []
        found: list[ValidationIssue] = []
        for item in raw:
            if isinstance(item, dict):
                with contextlib.suppress(ValueError):
                    found.append(ValidationIssue.model_validate(item))
        return found
