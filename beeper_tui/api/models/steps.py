"""Login steps and what they display, as tagged unions: a step or display type this client
does not know parses as ``UnknownStep``/``UnknownDisplay`` (its raw JSON kept), never fails.

A new step or display type is its model here, one line in its union, and one widget in the
step registry (``tui/login/steps/__init__.py``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, Discriminator, Field, Tag, model_validator

from beeper_tui.api.models.accounts import Account, BridgeLogin
from beeper_tui.api.models.wire import WireModel


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
    raw: dict[str, Any] = Field(default={}, exclude=True)

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
