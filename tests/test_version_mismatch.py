"""Errors that name the version: when Beeper Desktop refuses a call in a way that suggests it
and beeper-tui do not speak the same API (426, a 404 on a path every Beeper Desktop serves or
from its router, "client is out of date"), the error — on screen and in ``status`` — says
which Beeper Desktop it is. A bridge or session that is simply gone says nothing of versions."""

from __future__ import annotations

import io

import pytest

from beeper_tui.api import errors
from beeper_tui.api.models import APIError
from beeper_tui.connect import connect_demo
from beeper_tui.sim import build_demo_world
from beeper_tui.status import run_status


def refusal(status: int, endpoint: str, message: str | None = None) -> errors.BeeperError:
    body = APIError(message=message, code="x") if message is not None else None
    cls = errors.error_class_for_status(status)
    return cls("refused", status=status, endpoint=endpoint, body=body)


@pytest.mark.parametrize(
    ("status", "endpoint", "message"),
    [
        (426, "GET /v1/bridges/telegram", "Upgrade required"),
        (404, "GET /v1/bridges", "Bridge list not found"),
        (404, "GET /v1/bridges/telegram/login-flows", "Route GET:/v1/x not found"),
        (404, "GET /v1/bridges/telegram/logins", None),
        (400, "POST /v1/bridges/telegram/login-sessions", "This client is out of date"),
    ],
)
def test_refusals_that_suggest_a_version_mismatch(
    status: int, endpoint: str, message: str | None
) -> None:
    error = errors.name_the_version(refusal(status, endpoint, message), "4.2.800")
    assert errors.suggests_version_mismatch(error)
    assert "Beeper Desktop 4.2.800 may not speak the API" in error.explanation


@pytest.mark.parametrize(
    ("status", "endpoint", "message"),
    [
        (404, "GET /v1/bridges/telegram/login-sessions/ls_1", "Login session 'ls_1' not found"),
        (404, "GET /v1/bridges/nope", "Bridge 'nope' not found"),
        (404, "GET /v1/bridges/telegram/logins/1", "Not found"),
        (409, "POST /v1/bridges/twitter/login-sessions", "Account limit reached"),
        (500, "GET /v1/bridges", "Internal server error"),
    ],
)
def test_ordinary_refusals_say_nothing_of_versions(
    status: int, endpoint: str, message: str
) -> None:
    error = errors.name_the_version(refusal(status, endpoint, message), "4.2.800")
    assert not errors.suggests_version_mismatch(error)
    assert "4.2.800" not in error.explanation


def test_an_unknown_version_is_said_plainly() -> None:
    error = errors.name_the_version(refusal(426, "GET /v1/info"), None)
    assert error.hint.startswith("This Beeper Desktop may not speak the API")


async def test_status_names_the_version_when_the_bridge_list_is_not_served() -> None:
    world = build_demo_world()
    world.faults.add("status", path="/v1/bridges", status=404, times=None)
    err = io.StringIO()
    code = await run_status(connect_demo(world), as_json=False, out=io.StringIO(), err=err)
    assert code == 2
    assert f"Beeper Desktop {world.app_version} may not speak the API" in err.getvalue()


async def test_client_names_the_version_on_426_and_not_on_a_gone_session() -> None:
    world = build_demo_world()
    world.faults.add("status", path="/v1/bridges/telegram/login-flows", status=426)
    async with connect_demo(world).client as client:
        with pytest.raises(errors.BeeperError) as refused:
            await client.login_flows("telegram")
        assert world.app_version in refused.value.explanation
        with pytest.raises(errors.NotFound) as gone:
            await client.login_session("telegram", "ls_gone")
        assert world.app_version not in gone.value.explanation
