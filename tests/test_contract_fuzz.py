"""Contract fuzz: answers generated from the official OpenAPI schemas, valid and mutated.

For every endpoint the client reads, ``hypothesis-jsonschema`` draws answers that fit the
documented schema of its 200 (and, for every error status, of the documented error body).
The client must parse every valid answer, and turn every mutated one (a key dropped, a value
of the wrong type or null, a cut or non-UTF-8 body, nesting past any parser's depth, a lone
surrogate in every string, the body wrapped in a list, a 50 000-character string) into either
a parsed value or a :class:`BeeperError` — never another exception. The valid bridge lists go
on through ``status`` and ``status --json``, written to a strict UTF-8 stream.

Bounded and stable: a derandomised profile (the same examples every run, no example
database), no per-example deadline, a fixed number of examples, each example's mutations
applied deterministically. Without the OpenAPI document the suite skips loudly, saying why.
"""

from __future__ import annotations

import asyncio
import copy
import io
import json
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

DEV_EXTRA = "the contract fuzz needs the dev extra: pip install -e '.[dev]'"
pytest.importorskip("hypothesis", reason=DEV_EXTRA)
pytest.importorskip("hypothesis_jsonschema", reason=DEV_EXTRA)

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from beeper_tui.api import errors  # noqa: E402
from beeper_tui.api.client import BeeperClient  # noqa: E402
from beeper_tui.status import build_report, render_text  # noqa: E402
from beeper_tui.text import json_dumps  # noqa: E402
from tests.support.contract import NO_DOCUMENT, OPENAPI_PATH  # noqa: E402

pytestmark = pytest.mark.skipif(OPENAPI_PATH is None, reason=f"contract fuzz: {NO_DOCUMENT}")

TOKEN = "tok-fuzz-Secret-9"
#: Valid examples per endpoint; each also yields every mutation below.
EXAMPLES = 15
PROFILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
#: What every run tried, for benchmarks/hostile_report.py.
TALLY = {"valid": 0, "mutated": 0, "parsed": 0, "errors": 0, "tracebacks": 0, "token": 0}


@dataclass(frozen=True)
class Endpoint:
    method: str
    template: str
    call: Callable[[BeeperClient], Awaitable[Any]]

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


ENDPOINTS = [
    Endpoint("GET", "/v1/info", lambda c: c.info()),
    Endpoint("GET", "/v1/accounts", lambda c: c.accounts()),
    Endpoint("GET", "/v1/bridges", lambda c: c.bridges()),
    Endpoint("GET", "/v1/bridges/{bridgeID}", lambda c: c.bridge("b")),
    Endpoint("GET", "/v1/bridges/{bridgeID}/login-flows", lambda c: c.login_flows("b")),
    Endpoint("GET", "/v1/bridges/{bridgeID}/logins", lambda c: c.logins("b")),
    Endpoint("GET", "/v1/bridges/{bridgeID}/logins/{loginID}", lambda c: c.login("b", "l")),
    Endpoint(
        "POST",
        "/v1/bridges/{bridgeID}/logins/{loginID}/remove",
        lambda c: c.remove_login("b", "l", "all-devices"),
    ),
    Endpoint(
        "POST", "/v1/bridges/{bridgeID}/login-sessions", lambda c: c.create_login_session("b")
    ),
    Endpoint(
        "GET",
        "/v1/bridges/{bridgeID}/login-sessions/{loginSessionID}",
        lambda c: c.login_session("b", "s"),
    ),
    Endpoint(
        "DELETE",
        "/v1/bridges/{bridgeID}/login-sessions/{loginSessionID}",
        lambda c: c.cancel_login_session("b", "s"),
    ),
    Endpoint(
        "POST",
        "/v1/bridges/{bridgeID}/login-sessions/{loginSessionID}/steps/{stepID}",
        lambda c: c.submit_step("b", "s", "st", type="user_input", fields={"f": "v"}),
    ),
]
ERROR_STATUSES = (400, 401, 403, 404, 409, 422, 429, 500, 502)


# --- Schemas from the document ---------------------------------------------------------------


def _bounded(node: Any) -> None:
    """Keep generated answers small (a few items, short strings): the point is their shape,
    and size has tests of its own."""
    if isinstance(node, dict):
        if node.get("type") == "array":
            node.setdefault("maxItems", 3)
        if node.get("type") == "string" and not ({"enum", "format", "pattern"} & node.keys()):
            node.setdefault("maxLength", 12)
        for value in node.values():
            _bounded(value)
    elif isinstance(node, list):
        for value in node:
            _bounded(value)


def _document() -> dict[str, Any]:
    assert OPENAPI_PATH is not None
    document: dict[str, Any] = json.loads(OPENAPI_PATH.read_text())
    _bounded(document["components"])
    return document


DOCUMENT = _document() if OPENAPI_PATH is not None else {}


def answer_schema(endpoint: Endpoint, status: int = 200) -> dict[str, Any]:
    """The documented schema of ``endpoint``'s answer with ``status``, refs resolvable."""
    answer = DOCUMENT["paths"][endpoint.template][endpoint.method.lower()]["responses"][str(status)]
    if "$ref" in answer:
        answer = DOCUMENT["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
    schema = copy.deepcopy(answer["content"]["application/json"]["schema"])
    return {**schema, "components": DOCUMENT["components"]}


def from_answer(endpoint: Endpoint, status: int = 200) -> st.SearchStrategy[Any]:
    from hypothesis_jsonschema import from_schema

    return from_schema(answer_schema(endpoint, status))


# --- Mutations -------------------------------------------------------------------------------


def _places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value inside ``value`` (dict keys and list indexes)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield (*path, key)
            yield from _places(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield (*path, index)
            yield from _places(inner, (*path, index))


def _replace(value: Any, path: tuple[Any, ...], new: Callable[[Any], Any]) -> Any:
    value = copy.deepcopy(value)
    if not path:
        return new(value)
    holder = value
    for part in path[:-1]:
        holder = holder[part]
    if new is _DROP:
        del holder[path[-1]]
    else:
        holder[path[-1]] = new(holder[path[-1]])
    return value


def _DROP(value: Any) -> Any:
    return value


def _wrong_type(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, int | float):
        return str(value) + "x"
    if isinstance(value, str):
        return 12345
    if isinstance(value, list):
        return {"not": "a list"}
    if isinstance(value, dict):
        return ["not", "an", "object"]
    return 1.5


def _surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return value + "\ud800\x1b]0;fuzz\x07"
    if isinstance(value, dict):
        return {key: _surrogates(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_surrogates(inner) for inner in value]
    return value


def mutations(body: Any) -> Iterator[tuple[str, bytes]]:
    """Mutated answers for a valid ``body``, as the bytes a server would send."""
    places = list(_places(body))
    pick = places[len(places) // 2] if places else ()
    dict_places = [p for p in places if not isinstance(p[-1], int)]
    drop = dict_places[len(dict_places) // 3] if dict_places else None
    if drop is not None:
        yield "dropped-key", json.dumps(_replace(body, drop, _DROP)).encode()
    if pick:
        yield "wrong-type", json.dumps(_replace(body, pick, _wrong_type)).encode()
        yield "null", json.dumps(_replace(body, pick, lambda v: None)).encode()
        yield "long-string", json.dumps(_replace(body, pick, lambda v: "L" * 50_000)).encode()
        deep = "[" * 5000 + "]" * 5000
        yield (
            "deep",
            json.dumps(_replace(body, pick, lambda v: "@@")).replace('"@@"', deep).encode(),
        )
    yield "wrapped", json.dumps([body]).encode()
    yield "surrogates", json.dumps(_surrogates(body)).encode()
    whole = json.dumps(body).encode()
    yield "cut", whole[: max(1, len(whole) // 2)]
    yield "not-utf8", b"\xff\xfe" + whole


# --- Running a case --------------------------------------------------------------------------


class Server:
    """A client whose (mock) server answers whatever the case says, with a version header."""

    def __init__(self) -> None:
        self.status = 200
        self.body = b"{}"
        transport = httpx.MockTransport(self._answer)
        self.client = BeeperClient("http://fuzz.local", TOKEN, transport=transport, retries=0)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": "application/json", "X-Beeper-Desktop-Version": "4.2.0"}
        return httpx.Response(self.status, headers=headers, content=self.body)


def run_case(
    runner: asyncio.Runner, server: Server, endpoint: Endpoint, status: int, body: bytes
) -> tuple[Any, errors.BeeperError | None]:
    """The call's result or its BeeperError; any other exception is a failure (counted)."""
    server.status, server.body = status, body
    try:
        return runner.run(endpoint.call(server.client)), None
    except errors.BeeperError as err:
        TALLY["errors"] += 1
        for text in (err.explanation, repr(err), str(err.body)):
            if TOKEN in text:
                TALLY["token"] += 1
                raise AssertionError(f"the token in {endpoint}'s error") from err
        return None, err
    except Exception:
        TALLY["tracebacks"] += 1
        raise


@pytest.fixture(scope="module")
def runner() -> Iterator[asyncio.Runner]:
    with asyncio.Runner() as loop:
        yield loop


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_every_valid_answer_parses_and_every_mutated_one_is_a_beeper_error(
    endpoint: Endpoint, runner: asyncio.Runner
) -> None:
    server = Server()

    @PROFILE
    @given(body=from_answer(endpoint))
    def case(body: Any) -> None:
        TALLY["valid"] += 1
        result, err = run_case(runner, server, endpoint, 200, json.dumps(body).encode())
        assert err is None, f"{endpoint} refused a valid answer: {err!r}\n{body!r}"
        TALLY["parsed"] += 1
        if endpoint.template == "/v1/bridges":
            shown_by_status(result)
        for _kind, mutated in mutations(body):
            TALLY["mutated"] += 1
            run_case(runner, server, endpoint, 200, mutated)

    case()


def shown_by_status(bridges: Any) -> None:
    """``status`` and ``status --json`` render the bridges: a strict UTF-8 stream takes
    both, and the JSON reads back."""
    report = build_report(bridges, "4.2.0", "fuzz")
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    stream.write(render_text(report))
    text = json_dumps(report, indent=2)
    stream.write(text)
    assert json.loads(text)["summary"]["accounts"] == sum(len(b.accounts) for b in bridges)


@pytest.mark.parametrize("status", ERROR_STATUSES)
def test_every_documented_error_body_is_the_error_of_its_status(
    status: int, runner: asyncio.Runner
) -> None:
    endpoint = ENDPOINTS[3]  # GET /v1/bridges/{bridgeID}: every status is documented for all
    server = Server()
    expected = errors.error_class_for_status(status)

    @settings(PROFILE, max_examples=EXAMPLES // 2)
    @given(body=from_answer(endpoint, status))
    def case(body: Any) -> None:
        TALLY["valid"] += 1
        _, err = run_case(runner, server, endpoint, status, json.dumps(body).encode())
        assert isinstance(err, expected) and err.status == status, (err, body)
        assert err.explanation
        TALLY["parsed"] += 1
        for _kind, mutated in mutations(body):
            TALLY["mutated"] += 1
            _, err = run_case(runner, server, endpoint, status, mutated)
            assert isinstance(err, expected) and err.status == status

    case()
