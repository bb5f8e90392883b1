"""What the client's proof stands on: a client over a simulated world whose traffic can be
recorded, and the two official descriptions of the API to hold that traffic against.

- :func:`sim_client` opens a ``BeeperClient`` on a world in-process; while a :func:`recording`
  block is open, every request and response body it exchanges is kept as an :class:`Exchange`.
- :func:`long_poll`, :func:`until_waiting` and :func:`scanned` keep a display_and_wait
  long-poll open in a task while the test plays the phone side.
- :class:`Contract` is the official OpenAPI document (JSON Schema 2020-12, ``$ref``\\s resolved
  through a registry, objects closed so an unnamed key fails, plus the ``code`` display the
  document lacks); it finds the operation of a request and validates its bodies.
- :data:`SDK_MODELS` maps each operation to the official SDK's model of its answer, and
  :func:`sdk_extras` lists keys such a model only kept as extras (i.e. did not understand).
"""

from __future__ import annotations

import asyncio
import copy
import functools
import json
import os
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from beeper_desktop_api import types as sdk
from beeper_desktop_api.types import bridges as sdk_bridges
from beeper_desktop_api.types import shared as sdk_shared
from jsonschema import Draft202012Validator
from pydantic import BaseModel, TypeAdapter
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from beeper_tui.api.client import BeeperClient
from beeper_tui.api.models import DisplayAndWaitStep, LoginSession
from beeper_tui.sim import World, build_demo_world, create_app, sim_transport

SIM_BASE_URL = "http://sim.local"
#: Names a copy of the official OpenAPI document (the seed page is read from beside it).
OPENAPI_ENV = "BEEPER_OPENAPI_DOCUMENT"
OPENAPI_NAME = "beeper-openapi.json"


def find_openapi_document() -> Path | None:
    """The official OpenAPI document, which is not ours to copy into the repository: the file
    ``$BEEPER_OPENAPI_DOCUMENT`` names, else ``shared/reference/`` beside the clone or beside
    any folder above it (CI and the developers' machines lay ``../shared`` next to main)."""
    named = os.environ.get(OPENAPI_ENV)
    if named:
        return Path(named) if Path(named).is_file() else None
    for folder in Path(__file__).resolve().parents[1:]:
        candidate = folder / "shared" / "reference" / OPENAPI_NAME
        if candidate.is_file():
            return candidate
    return None


OPENAPI_PATH = find_openapi_document()
NO_DOCUMENT = (
    f"the official OpenAPI document was not found: set {OPENAPI_ENV}=/path/to/{OPENAPI_NAME} "
    "or lay shared/reference/ beside the clone (the SDK checks ran anyway)"
)


def openapi_path() -> Path:
    """The document's path, or a loud skip saying how to provide it."""
    if OPENAPI_PATH is None:
        pytest.skip(NO_DOCUMENT)
    return OPENAPI_PATH


OPENAPI_URI = "urn:beeper-openapi"
#: The fourth display type of the official SDK 6.0.0, missing from the document.
CODE_DISPLAY = {
    "type": "object",
    "title": "CodeLoginDisplay",
    "properties": {"type": {"type": "string", "enum": ["code"]}, "data": {"type": "string"}},
    "required": ["type", "data"],
}
#: Schemas whose objects may carry keys beyond the document's (upstream extras).
OPEN_SCHEMAS = frozenset({"LoginInputField"})
#: Keys a server may add to a LoginInputField (API-NOTES: keep and use them).
FIELD_EXTRAS = frozenset({"pattern", "options", "description"})
#: Step types the document describes; anything else (``webauthn``) is off-contract upstream.
DOCUMENTED_STEP_TYPES = frozenset({"user_input", "cookies", "display_and_wait", "complete"})


# --- Recording ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exchange:
    """One request and its answer, as JSON (None when a body was empty or not JSON)."""

    method: str
    path: str
    request: Any
    status: int
    response: Any

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status}"


_recordings: list[list[Exchange]] = []


@contextmanager
def recording() -> Iterator[list[Exchange]]:
    """Collect every exchange of every :func:`sim_client` while the block runs."""
    seen: list[Exchange] = []
    _recordings.append(seen)
    try:
        yield seen
    finally:
        _recordings.remove(seen)


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


class RecordingTransport(httpx.AsyncBaseTransport):
    """Passes requests to ``inner``; records them with their answers while recording."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if _recordings:
            body = await response.aread()
            exchange = Exchange(
                request.method,
                request.url.path,
                _json_or_none(request.content),
                response.status_code,
                _json_or_none(body),
            )
            for seen in _recordings:
                seen.append(exchange)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


@asynccontextmanager
async def sim_client(
    world: World | None = None, **options: Any
) -> AsyncIterator[tuple[World, BeeperClient]]:
    """A world (the demo one, manual phone side, unless given) and a client on it."""
    world = world or build_demo_world(autoscan=None, live_changes=False)
    options.setdefault("backoff", 0.001)
    transport = RecordingTransport(sim_transport(create_app(world)))
    async with BeeperClient(SIM_BASE_URL, world.token, transport=transport, **options) as client:
        yield world, client


# --- Driving the phone side --------------------------------------------------------------------


def long_poll(client: BeeperClient, session: LoginSession) -> asyncio.Task[LoginSession]:
    """Submit the displayed step in the background: the long-poll that waits for the phone."""
    step = session.current_step
    assert isinstance(step, DisplayAndWaitStep), f"not a display step: {step!r}"
    submit = client.submit_step(
        session.bridge_id, session.login_session_id, step.step_id, type="display_and_wait"
    )
    return asyncio.create_task(submit)


async def until_waiting(world: World, task: asyncio.Task[LoginSession]) -> None:
    """Let the long-poll reach the simulator and start waiting there."""
    await world.until_waiting()
    assert not task.done(), "the long-poll returned before anything happened"


async def scanned(client: BeeperClient, world: World, session: LoginSession) -> LoginSession:
    """Keep the displayed step's long-poll open while the phone scans it; the next session."""
    task = long_poll(client, session)
    await until_waiting(world, task)
    assert world.scan(session.login_session_id) == 1
    return await asyncio.wait_for(task, 2)


# --- The official document ---------------------------------------------------------------------


def _close_objects(node: Any) -> None:
    """``additionalProperties: false`` on every object schema that lists its properties."""
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_objects(value)
    elif isinstance(node, list):
        for value in node:
            _close_objects(value)


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    spec: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.method} {self.template}"

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.template


class Contract:
    """The official OpenAPI document, strict, as validators of request and response bodies."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        strict = copy.deepcopy(document)
        for name, schema in strict["components"]["schemas"].items():
            if name not in OPEN_SCHEMAS:
                _close_objects(schema)
        _close_objects(strict["paths"])
        steps = strict["components"]["schemas"]["LoginStep"]["oneOf"]
        waiting = next(s for s in steps if s["properties"]["type"]["enum"] == ["display_and_wait"])
        waiting["properties"]["display"]["oneOf"].append(CODE_DISPLAY)
        resource = Resource(contents=strict, specification=DRAFT202012)
        self.registry: Registry = Registry().with_resource(OPENAPI_URI, resource)
        self._validators: dict[str, Draft202012Validator] = {}
        self.operations = [
            Operation(method.upper(), template, spec)
            for template, item in document["paths"].items()
            for method, spec in item.items()
            if isinstance(spec, dict) and "responses" in spec
        ]

    @classmethod
    @functools.cache
    def load(cls) -> Contract:
        return cls(json.loads(openapi_path().read_text()))

    def operation(self, method: str, path: str) -> Operation:
        """The documented operation a request path belongs to (literal segments win)."""
        found = [
            op
            for op in self.operations
            if op.method == method and re.fullmatch(_template_regex(op.template), path)
        ]
        if not found:
            raise LookupError(f"{method} {path} is not in the official document")
        return min(found, key=lambda op: op.template.count("{"))

    def response_pointer(self, op: Operation, status: int) -> str:
        """A JSON pointer to the schema of the operation's answer with ``status``."""
        answer = op.spec["responses"][str(status)]
        if "$ref" in answer:
            place = ("", "components", "responses", answer["$ref"].rsplit("/", 1)[1])
        else:
            place = ("", "paths", op.template, op.method.lower(), "responses", str(status))
        return _pointer(*place, "content", "application/json", "schema")

    def validator(self, pointer: str) -> Draft202012Validator:
        if pointer not in self._validators:
            schema = {"$ref": f"{OPENAPI_URI}#{pointer}"}
            self._validators[pointer] = Draft202012Validator(schema, registry=self.registry)
        return self._validators[pointer]

    def check_response(self, op: Operation, status: int, body: Any) -> None:
        """Raise jsonschema.ValidationError unless ``body`` fits the documented answer."""
        self.validator(self.response_pointer(op, status)).validate(body)

    def check_request(self, op: Operation, body: Any) -> None:
        """Raise jsonschema.ValidationError unless ``body`` fits the documented request."""
        pointer = _pointer(
            "", "paths", op.template, op.method.lower(), "requestBody", "content",
            "application/json", "schema",
        )  # fmt: skip
        self.validator(pointer).validate(body)

    def check_schema(self, name: str, data: Any) -> None:
        self.validator(_pointer("", "components", "schemas", name)).validate(data)


def _template_regex(template: str) -> str:
    return re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))


def seed_session_example() -> dict[str, Any]:
    """The ``LoginSession`` example closing the documentation page the project started from."""
    text = openapi_path().with_name("seed-create-login-session.txt").read_text()
    start = text.index("{", text.index("Returns Examples"))
    example: dict[str, Any] = json.loads(text[start:])
    return example


def sdk_operation(method: str, path: str) -> tuple[str, str]:
    """The (method, template) of :data:`SDK_MODELS` a request belongs to (literal segments
    win), found without the document."""
    found = [
        key
        for key in SDK_MODELS
        if key[0] == method and re.fullmatch(_template_regex(key[1]), path)
    ]
    if not found:
        raise LookupError(f"{method} {path} is no operation the official SDK models")
    return min(found, key=lambda key: key[1].count("{"))


# --- The official SDK ---------------------------------------------------------------------------

#: The official SDK's model of each operation's 200 answer, by (method, path template).
SDK_MODELS: dict[tuple[str, str], Any] = {
    ("GET", "/v1/info"): sdk.InfoRetrieveResponse,
    ("GET", "/v1/accounts"): sdk.AccountListResponse,
    ("GET", "/v1/bridges"): sdk.BridgeListResponse,
    ("GET", "/v1/bridges/{bridgeID}"): sdk.BridgeRetrieveResponse,
    ("GET", "/v1/bridges/{bridgeID}/login-flows"): sdk_bridges.LoginFlowListResponse,
    ("GET", "/v1/bridges/{bridgeID}/logins"): sdk_bridges.LoginListResponse,
    ("GET", "/v1/bridges/{bridgeID}/logins/{loginID}"): sdk.BridgeLogin,
    ("POST", "/v1/bridges/{bridgeID}/logins/{loginID}/remove"): sdk_bridges.LoginRemoveResponse,
    ("POST", "/v1/bridges/{bridgeID}/login-sessions"): sdk.LoginSession,
    ("GET", "/v1/bridges/{bridgeID}/login-sessions/{loginSessionID}"): sdk.LoginSession,
    ("DELETE", "/v1/bridges/{bridgeID}/login-sessions/{loginSessionID}"): (
        sdk_bridges.LoginSessionCancelResponse
    ),
    ("POST", "/v1/bridges/{bridgeID}/login-sessions/{loginSessionID}/steps/{stepID}"): (
        sdk.LoginSession
    ),
}
#: The SDK's model of every error body.
SDK_ERROR = sdk_shared.Error


@functools.cache
def _sdk_adapter(shape: Any) -> TypeAdapter[Any]:
    return TypeAdapter(shape)


def sdk_parse(shape: Any, body: Any) -> Any:
    """``body`` parsed by the SDK's model (raises pydantic.ValidationError when it can't)."""
    return _sdk_adapter(shape).validate_python(body)


def sdk_extras(value: Any, where: str = "") -> list[str]:
    """Keys the SDK's models kept only as extras, i.e. did not understand, with their place;
    the upstream extras of a LoginInputField are expected and not listed."""
    found: list[str] = []
    if isinstance(value, BaseModel):
        allowed = FIELD_EXTRAS if isinstance(value, sdk.LoginInputField) else frozenset()
        found += [f"{where}.{key}" for key in (value.model_extra or {}) if key not in allowed]
        for name in type(value).model_fields:
            found += sdk_extras(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += sdk_extras(item, f"{where}[{index}]")
    return found
