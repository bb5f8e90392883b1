"""Shared fixtures: a demo world, its in-process app, and a BeeperClient talking to it.

- ``world``: ``build_demo_world(autoscan=None, live_changes=False)`` — nothing changes by
  itself; drive the phone side with ``world.scan()`` / ``world.rotate_qr()``.
- ``sim_app``: the simulator's ASGI app over ``world``.
- ``sim_http``: a raw ``httpx.AsyncClient`` (base URL ``http://sim.local``, bearer token set).
- ``client``: an open ``BeeperClient`` over ``sim_transport(sim_app)``.
- ``api_shape``: ``api_shape("LoginSession", data)`` validates ``data`` against the official
  OpenAPI schema of that name (JSON Schema 2020-12, $refs resolved), strictly: a key the
  document does not name fails, except the extras ``LoginInputField`` may carry. The ``code``
  display (official SDK 6.0.0, missing from the document) is added.
"""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from beeper_tui.sim import World, build_demo_world, create_app, sim_transport

SIM_BASE_URL = "http://sim.local"
#: The official OpenAPI document, in ../shared/reference beside the repository.
OPENAPI_PATH = Path(__file__).resolve().parents[2] / "shared" / "reference" / "beeper-openapi.json"
OPENAPI_URI = "urn:beeper-openapi"
CODE_DISPLAY = {
    "type": "object",
    "properties": {"type": {"type": "string", "enum": ["code"]}, "data": {"type": "string"}},
    "required": ["type", "data"],
    "title": "CodeLoginDisplay",
}
#: Schemas whose objects may carry keys beyond the document's (upstream extras).
OPEN_SCHEMAS = frozenset({"LoginInputField"})


def _close_objects(node: Any) -> None:
    """additionalProperties: false on every object schema that lists its properties."""
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_objects(value)
    elif isinstance(node, list):
        for value in node:
            _close_objects(value)


def load_openapi_registry() -> Registry:
    document = json.loads(OPENAPI_PATH.read_text())
    schemas = copy.deepcopy(document["components"]["schemas"])
    for name, schema in schemas.items():
        if name not in OPEN_SCHEMAS:
            _close_objects(schema)
    display = schemas["LoginStep"]["oneOf"][2]["properties"]["display"]["oneOf"]
    display.append(CODE_DISPLAY)
    document = {"components": {"schemas": schemas}}
    resource = Resource(contents=document, specification=DRAFT202012)
    return Registry().with_resource(OPENAPI_URI, resource)


@pytest.fixture(scope="session")
def api_shape() -> Callable[[str, Any], None]:
    if not OPENAPI_PATH.exists():
        pytest.skip(f"the OpenAPI document is not at {OPENAPI_PATH}")
    registry = load_openapi_registry()
    validators: dict[str, Draft202012Validator] = {}

    def check(name: str, data: Any) -> None:
        if name not in validators:
            schema = {"$ref": f"{OPENAPI_URI}#/components/schemas/{name}"}
            validators[name] = Draft202012Validator(schema, registry=registry)
        validators[name].validate(data)

    return check


@pytest.fixture
def world() -> World:
    return build_demo_world(autoscan=None, live_changes=False)


@pytest.fixture
def sim_app(world: World) -> Any:
    return create_app(world)


@pytest.fixture
async def sim_http(world: World, sim_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Bearer {world.token}"}
    async with httpx.AsyncClient(
        base_url=SIM_BASE_URL, transport=sim_transport(sim_app), headers=headers
    ) as http:
        yield http


@pytest.fixture
async def client(world: World, sim_app: Any) -> AsyncIterator[Any]:
    from beeper_tui.api.client import BeeperClient  # written in parallel: import lazily

    async with BeeperClient(SIM_BASE_URL, world.token, transport=sim_transport(sim_app)) as beeper:
        yield beeper


@pytest.fixture(autouse=True)
def _a_desktop_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as on a desktop (a display, no SSH), wherever the suite itself runs; the
    tests for SSH set those variables themselves."""
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
