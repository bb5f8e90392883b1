"""The simulator and the client keep to the official contract.

The walks of test_client_flows.py are replayed once with their traffic recorded; every
response they met must fit the official OpenAPI document (strictly: a key it does not name
fails) and parse with the official SDK's models without leaving anything in extras; every
request body the client sent must fit the document's request schemas. Our own models must
read every such response — and every example the document gives — and write it back unchanged.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from beeper_desktop_api.types import login_session as sdk_session
from jsonschema import ValidationError
from pydantic import BaseModel, TypeAdapter

from beeper_tui.api.models import (
    Account,
    AccountBridge,
    APIError,
    Bridge,
    BridgeLogin,
    CancelLoginSessionResult,
    CookieField,
    Info,
    LoginFlow,
    LoginInputField,
    LoginSession,
    LoginStep,
    RemoveLoginResult,
    User,
    WireModel,
    step_kind,
)
from tests import test_client_flows
from tests.support.contract import (
    DOCUMENTED_STEP_TYPES,
    SDK_ERROR,
    SDK_MODELS,
    Contract,
    Exchange,
    recording,
    sdk_extras,
    sdk_operation,
    sdk_parse,
    seed_session_example,
)

# The tests that take ``contract`` need the official document and skip loudly without it
# (tests/support/contract.py says where it is looked for); the SDK's checks run everywhere.


@dataclass(frozen=True)
class Items:
    """An ``{items: [...]}`` envelope of ``item``."""

    item: Any


#: Our model of each operation's 200 answer.
OUR_MODELS: dict[tuple[str, str], Any] = {
    ("GET", "/v1/info"): Info,
    ("GET", "/v1/accounts"): list[Account],
    ("GET", "/v1/bridges"): Items(Bridge),
    ("GET", "/v1/bridges/{bridgeID}"): Bridge,
    ("GET", "/v1/bridges/{bridgeID}/login-flows"): Items(LoginFlow),
    ("GET", "/v1/bridges/{bridgeID}/logins"): Items(BridgeLogin),
    ("GET", "/v1/bridges/{bridgeID}/logins/{loginID}"): BridgeLogin,
    ("POST", "/v1/bridges/{bridgeID}/logins/{loginID}/remove"): RemoveLoginResult,
    ("POST", "/v1/bridges/{bridgeID}/login-sessions"): LoginSession,
    ("GET", "/v1/bridges/{bridgeID}/login-sessions/{loginSessionID}"): LoginSession,
    ("DELETE", "/v1/bridges/{bridgeID}/login-sessions/{loginSessionID}"): (
        CancelLoginSessionResult
    ),
    ("POST", "/v1/bridges/{bridgeID}/login-sessions/{loginSessionID}/steps/{stepID}"): (
        LoginSession
    ),
}
#: Our model of each document schema an account manager reads.
OUR_SCHEMA_MODELS: dict[str, Any] = {
    "ConnectInfoOutput": Info,
    "AccountBridge": AccountBridge,
    "User": User,
    "Account": Account,
    "GetAccountsOutput": list[Account],
    "GetAccountOutput": Account,
    "Bridge": Bridge,
    "ListBridgesOutput": Items(Bridge),
    "GetBridgeOutput": Bridge,
    "LoginFlow": LoginFlow,
    "ListLoginFlowsOutput": Items(LoginFlow),
    "BridgeLogin": BridgeLogin,
    "ListBridgeLoginsOutput": Items(BridgeLogin),
    "RemoveBridgeLoginOutput": RemoveLoginResult,
    "LoginInputField": LoginInputField,
    "CookieField": CookieField,
    "LoginStep": LoginStep,
    "APIError": APIError,
    "Error": APIError,
    "LoginSession": LoginSession,
    "CancelLoginSessionOutput": CancelLoginSessionResult,
}
SDK_STEPS = {
    "user_input": sdk_session.CurrentStepUserInput,
    "cookies": sdk_session.CurrentStepCookies,
    "display_and_wait": sdk_session.CurrentStepDisplayAndWait,
    "complete": sdk_session.CurrentStepComplete,
}
SDK_DISPLAYS = {
    "qr": sdk_session.CurrentStepDisplayAndWaitDisplayQRCode,
    "emoji": sdk_session.CurrentStepDisplayAndWaitDisplayEmoji,
    "code": sdk_session.CurrentStepDisplayAndWaitDisplayCode,
    "nothing": sdk_session.CurrentStepDisplayAndWaitDisplayEmpty,
}


def read_and_write(shape: Any, body: Any) -> Any:
    """``body`` read by our model ``shape``, then written back as wire JSON."""
    if isinstance(shape, Items):
        return {"items": [read_and_write(shape.item, item) for item in body["items"]]}
    return _wire(TypeAdapter(shape).validate_python(body))


def _wire(value: Any) -> Any:
    if isinstance(value, list):
        return [_wire(item) for item in value]
    if isinstance(value, WireModel):
        return value.to_wire()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    return value


def wire_kind(step: dict[str, Any]) -> str:
    """What ``step_kind`` must say about a wire step."""
    if step["type"] == "display_and_wait":
        return str(step["display"]["type"])
    return str(step["type"]) if step["type"] in DOCUMENTED_STEP_TYPES else "unknown"


def current_step(body: Any) -> dict[str, Any] | None:
    """The wire ``currentStep`` of a login session body, if it has one."""
    step = body.get("currentStep") if isinstance(body, dict) else None
    return step if isinstance(step, dict) else None


def on_contract(body: Any) -> Any:
    """The body without an off-contract ``currentStep`` (a step type the document lacks)."""
    step = current_step(body)
    if step is not None and step.get("type") not in DOCUMENTED_STEP_TYPES:
        return {key: value for key, value in body.items() if key != "currentStep"}
    return body


def walks() -> list[Callable[[], Any]]:
    found = [
        fn
        for name, fn in vars(test_client_flows).items()
        if name.startswith("test_") and inspect.iscoroutinefunction(fn)
    ]
    for fn in found:
        assert not inspect.signature(fn).parameters, f"{fn.__name__} must take no fixture"
    return found


@pytest.fixture(scope="module")
def contract() -> Contract:
    return Contract.load()


@pytest.fixture(scope="module")
def met() -> list[Exchange]:
    """Every exchange of every walk of test_client_flows.py."""

    async def replay() -> None:
        for walk in walks():
            await walk()

    with recording() as seen:
        asyncio.run(replay())
    return seen


def ok(met: list[Exchange]) -> list[Exchange]:
    return [x for x in met if 200 <= x.status < 300]


def test_the_walks_meet_every_operation_of_an_account_manager(met: list[Exchange]) -> None:
    assert len(walks()) >= 20
    operations = {sdk_operation(x.method, x.path) for x in ok(met)}
    assert operations == set(SDK_MODELS)
    shown = [step for x in ok(met) if (step := current_step(x.response))]
    steps = {step["type"] for step in shown}
    displays = {step["display"]["type"] for step in shown if "display" in step}
    assert {"user_input", "cookies", "display_and_wait", "webauthn"} <= steps
    assert displays == {"qr", "emoji", "code", "nothing"}
    assert {x.status for x in met} >= {200, 400, 404, 409}


def test_every_response_fits_the_official_document(met: list[Exchange], contract: Contract) -> None:
    problems = []
    for exchange in met:
        assert exchange.response is not None, f"{exchange}: the body is not JSON"
        op = contract.operation(exchange.method, exchange.path)
        try:
            contract.check_response(op, exchange.status, on_contract(exchange.response))
        except ValidationError as exc:
            problems.append(f"{exchange}: {exc.message} at {list(exc.absolute_path)}")
    assert not problems, "\n".join(problems)


def test_only_the_unknown_step_type_is_off_contract(met: list[Exchange]) -> None:
    off = {
        x.response["currentStep"]["type"]
        for x in ok(met)
        if on_contract(x.response) is not x.response
    }
    assert off == {"webauthn"}


def test_every_response_parses_with_the_official_sdk(met: list[Exchange]) -> None:
    for exchange in met:
        key = sdk_operation(exchange.method, exchange.path)
        body = on_contract(exchange.response)
        shape = SDK_MODELS[key] if exchange.status < 300 else SDK_ERROR
        parsed = sdk_parse(shape, body)
        assert sdk_extras(parsed) == [], f"{exchange}: the SDK did not understand these"
        step = current_step(body)
        if step is not None:
            assert type(parsed.current_step) is SDK_STEPS[step["type"]], str(exchange)
            if step["type"] == "display_and_wait":
                display = parsed.current_step.display
                assert type(display) is SDK_DISPLAYS[step["display"]["type"]], str(exchange)


def test_every_request_body_fits_the_official_document(
    met: list[Exchange], contract: Contract
) -> None:
    sent: set[str] = set()
    for exchange in met:
        op = contract.operation(exchange.method, exchange.path)
        if "requestBody" not in op.spec:
            assert exchange.request is None, f"{exchange}: a body where none is documented"
            continue
        contract.check_request(op, exchange.request)
        sent.add(op.spec["operationId"])
        if op.spec["operationId"] == "submitLoginStep":
            sent.add(exchange.request["type"])
    assert sent >= {
        "createLoginSession",
        "submitLoginStep",
        "removeBridgeLogin",
        "user_input",
        "cookies",
        "display_and_wait",
    }


def test_our_models_read_every_response_and_write_it_back(met: list[Exchange]) -> None:
    for exchange in met:
        key = sdk_operation(exchange.method, exchange.path)
        shape = OUR_MODELS[key] if exchange.status < 300 else APIError
        assert read_and_write(shape, exchange.response) == exchange.response, str(exchange)
        step = current_step(exchange.response) if exchange.status < 300 else None
        if step is not None:
            session = LoginSession.model_validate(exchange.response)
            assert step_kind(session.current_step) == wire_kind(step), str(exchange)


def document_examples(contract: Contract) -> list[tuple[str, Any]]:
    """(schema name, example) for every example the document gives of a schema we read:
    on the schema itself, or on an operation's answer."""
    schemas = contract.document["components"]["schemas"]
    found = []
    for name in OUR_SCHEMA_MODELS:
        schema = schemas[name]
        if "example" in schema:
            found.append((name, schema["example"]))
        found += [(name, example) for example in schema.get("examples", [])]
    for op in contract.operations:
        if op.key not in OUR_MODELS:
            continue
        content = op.spec["responses"]["200"]["content"]["application/json"]
        name = content["schema"]["$ref"].rsplit("/", 1)[1]
        if "example" in content:
            found.append((name, content["example"]))
        found += [(name, e["value"]) for e in content.get("examples", {}).values()]
    found.append(("LoginSession", seed_session_example()))
    return found


def test_our_models_read_every_document_example_and_write_it_back(contract: Contract) -> None:
    examples = document_examples(contract)
    assert {name for name, _ in examples} >= {"GetAccountsOutput", "LoginSession"}
    for name, example in examples:
        contract.check_schema(name, example)
        assert read_and_write(OUR_SCHEMA_MODELS[name], example) == example, name


def test_the_checks_catch_a_misnamed_key(contract: Contract) -> None:
    """The strict document and the extras check are what make the tests above able to fail."""
    account = {
        "accountID": "telegram_1",
        "bridge": {"id": "telegram", "type": "telegram", "provider": "cloud"},
        "user": {"id": "1"},
        "status": "connected",
    }
    contract.check_schema("Account", account)
    with pytest.raises(ValidationError):
        contract.check_schema("Account", {**account, "statusTxt": "Connected"})


def test_the_sdk_check_catches_a_misnamed_key() -> None:
    """Without the document, the SDK's extras check is what makes the SDK tests able to fail."""
    misnamed = {
        "accountID": "telegram_1",
        "bridge": {"id": "telegram", "type": "telegram", "provider": "cloud"},
        "user": {"id": "1"},
        "status": "connected",
        "statusTxt": "Connected",
    }
    parsed = sdk_parse(SDK_MODELS[("GET", "/v1/accounts")], [misnamed])
    assert sdk_extras(parsed) == ["[0].statusTxt"]
