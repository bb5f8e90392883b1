"""Typed shapes of the Beeper Desktop API, as pydantic v2 models.

On the wire keys are camelCase exactly as the official document spells them (``bridgeID``,
``imageURL``, ``extractJS``…); in Python they are snake_case. Unknown extra keys are kept, and
status strings outside the known sets parse unchanged, so a newer Beeper Desktop never breaks us.
"""

from __future__ import annotations

import contextlib
import json
import re
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

_ACRONYMS = re.compile(r"(Id|Url|Js)(?=[A-Z]|s?$)")


def wire_alias(name: str) -> str:
    """snake_case → the API's camelCase: ``bridge_id`` → ``bridgeID``, ``img_url`` → ``imgURL``."""
    head, *rest = name.split("_")
    camel = head + "".join(part[:1].upper() + part[1:] for part in rest)
    return _ACRONYMS.sub(lambda m: m.group(1).upper(), camel)


class WireModel(BaseModel):
    """Base for every API shape: camelCase aliases, extra keys kept, names or aliases accepted."""

    model_config = ConfigDict(
        alias_generator=wire_alias,
        populate_by_name=True,
        extra="allow",
        # Build each validator on first use: start-up only pays for the shapes it reads.
        defer_build=True,
    )

    def to_wire(self) -> dict[str, Any]:
        """The JSON-ready dict this model came from (aliases, no unset optional keys)."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")


# --- Known value sets (strings outside them still parse) -----------------------------------

PROVIDERS = ("cloud", "self-hosted", "local", "platform-sdk")
ACCOUNT_STATUSES = (
    "connected",
    "connecting",
    "backfilling",
    "connection_required",
    "reconnect_required",
    "attention_required",
    "disconnected",
    "disabled",
)
BRIDGE_STATUSES = ("available", "connected", "limit_reached", "temporarily_unavailable", "disabled")
LOGIN_STATUSES = ("connected", "connecting", "needs_login", "logged_out", "unknown")
SESSION_STATUSES = (
    "waiting_for_input",
    "waiting_for_cookies",
    "waiting_for_display",
    "complete",
    "cancelled",
    "failed",
)
REMOVE_SCOPES = ("current-device", "all-devices")
SESSION_ENDED = frozenset({"complete", "cancelled", "failed"})
#: Bridge statuses under which a new account cannot be connected now.
BRIDGE_UNAVAILABLE = frozenset({"limit_reached", "temporarily_unavailable", "disabled"})


class Health(StrEnum):
    """How an account is doing, in the words every screen uses."""

    ATTENTION = "needs attention"
    UNKNOWN = "unknown"
    WORKING = "working"
    OK = "ok"
    OFF = "off"

    @property
    def rank(self) -> int:
        """Sort key: attention first, disabled last."""
        return list(Health).index(self)

    @property
    def glyph(self) -> str:
        """A mark that goes beside the word, so health never rests on colour alone."""
        return _HEALTH_GLYPHS[self]


_HEALTH_GLYPHS = {
    Health.ATTENTION: "✖",
    Health.UNKNOWN: "?",
    Health.WORKING: "↻",
    Health.OK: "✔",
    Health.OFF: "–",
}


_HEALTH_BY_STATUS = {
    "reconnect_required": Health.ATTENTION,
    "attention_required": Health.ATTENTION,
    "connection_required": Health.ATTENTION,
    "disconnected": Health.ATTENTION,
    "connecting": Health.WORKING,
    "backfilling": Health.WORKING,
    "connected": Health.OK,
    "disabled": Health.OFF,
}


def classify_health(status: str) -> Health:
    """The one classification of an account status used by every screen and command."""
    return _HEALTH_BY_STATUS.get(status, Health.UNKNOWN)


# --- Server info -----------------------------------------------------------------------------


class InfoModel(BaseModel):
    """/v1/info uses snake_case keys, unlike the rest of the API."""

    model_config = ConfigDict(extra="allow", defer_build=True)


class AppInfo(InfoModel):
    name: str
    version: str
    bundle_id: str


class PlatformInfo(InfoModel):
    os: str
    arch: str
    release: str | None = None


class ServerInfo(InfoModel):
    status: str
    base_url: str
    port: int
    hostname: str
    remote_access: bool
    mcp_enabled: bool


class OAuthEndpoints(InfoModel):
    authorization_endpoint: str
    token_endpoint: str
    introspection_endpoint: str
    userinfo_endpoint: str
    revocation_endpoint: str
    registration_endpoint: str


class Endpoints(InfoModel):
    oauth: OAuthEndpoints
    spec: str
    mcp: str
    ws_events: str


class Info(InfoModel):
    app: AppInfo
    platform: PlatformInfo
    server: ServerInfo
    endpoints: Endpoints


class AppSetup(WireModel):
    """``GET /v1/app/setup``: whether Beeper Desktop itself is signed in and set up."""

    state: str
    """``needs-login``, ``initializing``, ``needs-verification``, … or ``ready``."""


# --- Accounts and bridges ----------------------------------------------------------------------


class User(WireModel):
    id: str
    username: str | None = None
    phone_number: str | None = None
    email: str | None = None
    full_name: str | None = None
    img_url: str | None = None
    cannot_message: bool | None = None
    is_self: bool | None = None

    @property
    def display_name(self) -> str:
        """fullName, else username, phone, email, else the ID."""
        for value in (self.full_name, self.username, self.phone_number, self.email):
            if value:
                return value
        return self.id


class AccountBridge(WireModel):
    id: str
    type: str
    provider: str


class Account(WireModel):
    account_id: str
    bridge: AccountBridge
    user: User
    status: str
    login_id: str | None = None
    network: str | None = None
    status_text: str | None = None
    capabilities: dict[str, Any] | None = None

    @property
    def health(self) -> Health:
        return classify_health(self.status)


class Bridge(WireModel):
    id: str
    type: str
    provider: str
    display_name: str
    active_account_count: int
    supports_multiple_accounts: bool
    status: str
    accounts: list[Account] = Field(default_factory=list)
    status_text: str | None = None
    network: str | None = None

    @property
    def can_add_account(self) -> bool:
        return self.status not in BRIDGE_UNAVAILABLE


class LoginFlow(WireModel):
    id: str
    name: str | None = None
    description: str | None = None


class BridgeLogin(WireModel):
    login_id: str
    bridge_id: str
    status: str
    remove_scopes: list[str] = Field(default_factory=list)
    account_ids: list[str] | None = None
    user: User | None = None
    status_text: str | None = None


class RemoveLoginResult(WireModel):
    bridge_id: str
    login_id: str
    status: str
    scope: str
    affected_account_ids: list[str] | None = None


class CancelLoginSessionResult(WireModel):
    bridge_id: str
    login_session_id: str
    status: str


# --- Login steps -------------------------------------------------------------------------------


class LoginInputField(WireModel):
    """A form field. Servers may add ``pattern``, ``options``, ``description``: kept as extras
    (a select field's choices are read by ``loginkit.field_checks.option_choices``)."""

    id: str
    type: str | None = None
    label: str | None = None
    placeholder: str | None = None
    initial_value: str | None = None
    optional: bool | None = None

    @property
    def pattern(self) -> str | None:
        value = (self.model_extra or {}).get("pattern")
        return value if isinstance(value, str) else None

    @property
    def description(self) -> str | None:
        value = (self.model_extra or {}).get("description")
        return value if isinstance(value, str) else None


class CookieField(WireModel):
    id: str
    type: str | None = None
    name: str | None = None


class QRDisplay(WireModel):
    type: Literal["qr"]
    data: str


class EmojiDisplay(WireModel):
    type: Literal["emoji"]
    image_url: str


class CodeDisplay(WireModel):
    """Added by the official SDK 6.0.0, absent from the OpenAPI document."""

    type: Literal["code"]
    data: str


class NothingDisplay(WireModel):
    type: Literal["nothing"]


class UnknownShape(WireModel):
    """A step or display of a type this client does not know; its raw JSON is kept in
    ``raw``, so the person can be shown what arrived."""

    type: str
    raw: dict[str, Any] = Field(default_factory=dict, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _keep_raw(cls, data: Any) -> Any:
        if isinstance(data, dict) and "raw" not in data:
            return {**data, "raw": dict(data)}
        return data


class UnknownDisplay(UnknownShape):
    """A display type this client does not know."""


UNKNOWN = "unknown"
"""The union tag, and the step kind, of a step or display type this client does not know."""


def wire_type(shape: type[BaseModel]) -> str:
    """The one value a known shape's ``type: Literal[...]`` allows: its tag in its union."""
    (value,) = get_args(shape.model_fields["type"].annotation)
    return str(value)


def union_tags(choices: Any) -> tuple[str, ...]:
    """The tags of a tagged union's members, in order, without the unknown fallback."""
    tags = (
        meta.tag
        for member in get_args(choices)
        for meta in get_args(member)[1:]
        if isinstance(meta, Tag)
    )
    return tuple(tag for tag in tags if tag != UNKNOWN)


def _tag_by_type(known: frozenset[str]) -> Any:
    def tag(value: Any) -> str:
        kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
        return kind if isinstance(kind, str) and kind in known else UNKNOWN

    return tag


# A new display type: its model above, one line here, one widget in the step registry.
_DisplayChoices = (
    Annotated[QRDisplay, Tag(wire_type(QRDisplay))]
    | Annotated[EmojiDisplay, Tag(wire_type(EmojiDisplay))]
    | Annotated[CodeDisplay, Tag(wire_type(CodeDisplay))]
    | Annotated[NothingDisplay, Tag(wire_type(NothingDisplay))]
    | Annotated[UnknownDisplay, Tag(UNKNOWN)]
)
KNOWN_DISPLAY_TYPES = frozenset(union_tags(_DisplayChoices))
Display = Annotated[_DisplayChoices, Discriminator(_tag_by_type(KNOWN_DISPLAY_TYPES))]


class UserInputStep(WireModel):
    type: Literal["user_input"]
    step_id: str
    fields: list[LoginInputField]
    instructions: str | None = None
    attachments: list[Any] | None = None


class CookiesStep(WireModel):
    type: Literal["cookies"]
    step_id: str
    url: str
    fields: list[CookieField]
    instructions: str | None = None
    user_agent: str | None = None
    expected_final_url_regex: str | None = None
    extract_js: str | None = None  # opaque: never executed


class DisplayAndWaitStep(WireModel):
    type: Literal["display_and_wait"]
    step_id: str
    display: Display
    instructions: str | None = None


class CompleteStep(WireModel):
    type: Literal["complete"]
    step_id: str | None = None
    instructions: str | None = None
    account: Account | None = None
    login: BridgeLogin | None = None


class UnknownStep(UnknownShape):
    """A step type this client cannot drive (e.g. ``webauthn``)."""

    step_id: str | None = None
    instructions: str | None = None


# A new step type: its model above, one line here, one widget in the step registry.
_StepChoices = (
    Annotated[UserInputStep, Tag(wire_type(UserInputStep))]
    | Annotated[CookiesStep, Tag(wire_type(CookiesStep))]
    | Annotated[DisplayAndWaitStep, Tag(wire_type(DisplayAndWaitStep))]
    | Annotated[CompleteStep, Tag(wire_type(CompleteStep))]
    | Annotated[UnknownStep, Tag(UNKNOWN)]
)
KNOWN_STEP_TYPES = frozenset(union_tags(_StepChoices))
LoginStep = Annotated[_StepChoices, Discriminator(_tag_by_type(KNOWN_STEP_TYPES))]


def _kinds(step_type: str) -> tuple[str, ...]:
    """The step kinds of a step type: a displayed step's are its display types."""
    if step_type == wire_type(DisplayAndWaitStep):
        return union_tags(_DisplayChoices)
    return (step_type,)


#: Every key :func:`step_kind` returns, and so the keys of the step widget registry
#: (``tui/login/steps/__init__.py``), in the unions' order, ``unknown`` last.
STEP_KINDS: tuple[str, ...] = (
    *(kind for step_type in union_tags(_StepChoices) for kind in _kinds(step_type)),
    UNKNOWN,
)


def step_kind(step: object) -> str:
    """The step registry's key for a step (one of :data:`STEP_KINDS`): its type, a displayed
    step's display type, or ``unknown`` for a step or display type this client does not know."""
    shown = step.display if isinstance(step, DisplayAndWaitStep) else step
    if not isinstance(shown, WireModel) or isinstance(shown, UnknownShape):
        return UNKNOWN
    kind = getattr(shown, "type", None)
    return kind if kind in STEP_KINDS else UNKNOWN


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
    path: list[str | int] = Field(default_factory=list)

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


class LoginSession(WireModel):
    login_session_id: str
    bridge_id: str
    status: str
    current_step: LoginStep | None = None
    login_id: str | None = None
    account_id: str | None = None
    account: Account | None = None
    login: BridgeLogin | None = None
    error: APIError | None = None

    @property
    def ended(self) -> bool:
        return self.status in SESSION_ENDED
