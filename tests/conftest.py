"""Shared fixtures: a demo world, its in-process app, and a BeeperClient talking to it.

- ``world``: ``quiet_world()`` (``tests/support/apps.py``) — nothing changes by itself;
  drive the phone side with ``world.scan()`` / ``world.rotate_qr()`` once
  ``await world.until_waiting(session_id)`` says the client's long-poll waits. Where time must
  pass, build the world with ``clock=ManualClock()`` and ``advance`` it.
- ``sim_app``: the simulator's ASGI app over ``world``.
- ``sim_http``: a raw ``httpx.AsyncClient`` (base URL ``http://sim.local``, bearer token set).
- ``client``: an open ``BeeperClient`` over ``sim_transport(sim_app)``.
- ``api_shape``: ``api_shape("LoginSession", data)`` validates ``data`` against the official
  OpenAPI schema of that name (JSON Schema 2020-12, $refs resolved), strictly: a key the
  document does not name fails, except the extras ``LoginInputField`` may carry. The ``code``
  display (official SDK 6.0.0, missing from the document) is added.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from beeper_tui.api.client import BeeperClient
from beeper_tui.sim import World, create_app, sim_transport
from tests.support.apps import SIM_BASE_URL, quiet_world

#: The suite-wide token check (``tests/token_guard.py``), pytest's own tester, with which
#: ``test_token_guard.py`` proves the check fails a test that lets a token out, and the pace at
#: which Pilot lets the app settle (``tests/pilot_pace.py``).
pytest_plugins = ["tests.token_guard", "pytester", "tests.pilot_pace"]


@pytest.fixture(scope="session")
def api_shape() -> Callable[[str, Any], None]:
    from tests.support.contract import Contract

    return Contract.load().check_schema  # skips, saying why, without the document


@pytest.fixture
def world() -> World:
    return quiet_world()


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
async def client(world: World, sim_app: Any) -> AsyncIterator[BeeperClient]:
    async with BeeperClient(SIM_BASE_URL, world.token, transport=sim_transport(sim_app)) as beeper:
        yield beeper


@pytest.fixture(autouse=True)
def _a_desktop_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as on a desktop (a display, no SSH), wherever the suite itself runs; the
    tests for SSH set those variables themselves."""
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)


@pytest.fixture(autouse=True)
def _no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing in the suite opens a browser; a test that checks the open keys patches
    ``webbrowser.open`` itself to see the call."""
    monkeypatch.setattr("webbrowser.open", lambda *a, **k: False)


@pytest.fixture(autouse=True)
def _no_real_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test reads or writes the real ~/.config, nor takes Beeper settings from the machine
    running the suite: the config folder is a fresh temporary one, BEEPER_* are unset."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
    for name in ("BEEPER_BASE_URL", "BEEPER_ACCESS_TOKEN", "BEEPER_CUSTOM_HEADERS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _own_state_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Login journals (``$XDG_STATE_HOME/beeper-tui``) go to the suite's own directory, never
    the machine's — for the apps the tests run and the processes they start alike."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.getbasetemp() / "state"))
