"""The ``auth`` commands' less travelled ways, in-process against the simulator: a server
without introspection, a token revoked behind our back, a pasted token's logout, a revoke that
cannot reach the server, and a sign-in whose token cannot be saved."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

import httpx
import pytest

from beeper_tui.auth import commands
from beeper_tui.config import ConfigError, ConfigFile, Origin, SavedToken, Settings
from beeper_tui.sim import World, create_app, sim_transport
from tests.support import wait_for

BASE = "http://sim.local"
LONG_TOKEN = "tok-pasted-KNOWN-0123456789"


@pytest.fixture
def transport(world: World) -> httpx.AsyncBaseTransport:
    world.token = LONG_TOKEN
    return sim_transport(create_app(world))


def saved_settings(config: ConfigFile, saved: SavedToken) -> Settings:
    return Settings(
        base_url=BASE,
        token=saved.token,
        base_url_origin=Origin.CONFIG,
        base_url_where=str(config.path),
        token_origin=Origin.CONFIG,
        token_where=str(config.path),
        saved=saved,
        config_path=config.path,
    )


async def test_status_falls_back_to_a_real_call_without_introspection(
    world: World, transport: Any
) -> None:
    world.faults.add("status", path="/oauth/introspect", status=404, times=None)
    settings = Settings(base_url=BASE, token=LONG_TOKEN, token_origin=Origin.ENV)
    out = io.StringIO()
    assert await commands.run_status(settings, out=out, transport=transport) == 0
    assert "yes (a real request with it succeeded)" in out.getvalue()
    assert LONG_TOKEN not in out.getvalue() and "…6789" in out.getvalue()


async def test_status_of_a_revoked_token(world: World, transport: Any, tmp_path: Path) -> None:
    config = ConfigFile(tmp_path / "config.toml")
    token, _ = world.oauth.issue("cl_x", "read write")
    world.oauth.revoke(token)
    saved = SavedToken(token, "oauth", BASE, "cl_x")
    out = io.StringIO()
    code = await commands.run_status(saved_settings(config, saved), out=out, transport=transport)
    assert code == 2 and "no: Beeper Desktop refused it" in out.getvalue()
    assert token not in out.getvalue()


async def test_logout_of_a_pasted_token_says_where_to_delete_it(
    transport: Any, tmp_path: Path
) -> None:
    config = ConfigFile(tmp_path / "config.toml")
    saved = SavedToken(LONG_TOKEN, "pasted", BASE)
    config.set_token(saved)
    config.save()
    out, err = io.StringIO(), io.StringIO()
    settings = saved_settings(config, saved)
    assert await commands.run_logout(settings, config, out=out, err=err, transport=transport) == 0
    assert "Approved connections" in out.getvalue()
    assert ConfigFile.load(config.path).saved_token is None
    assert LONG_TOKEN not in out.getvalue() + err.getvalue()


async def test_logout_removes_the_token_even_when_revoking_fails(tmp_path: Path) -> None:
    config = ConfigFile(tmp_path / "config.toml")
    saved = SavedToken(LONG_TOKEN, "oauth", "http://127.0.0.1:9", "cl_x")
    config.set_token(saved)
    config.save()
    out, err = io.StringIO(), io.StringIO()
    settings = saved_settings(config, saved)
    assert await commands.run_logout(settings, config, out=out, err=err) == 0
    assert "Could not revoke the token" in err.getvalue() and "not reachable" in err.getvalue()
    assert ConfigFile.load(config.path).saved_token is None


async def test_a_token_that_cannot_be_saved_is_revoked(
    world: World, transport: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder became unwritable during the sign-in: the new token must not stay valid."""
    config = ConfigFile(tmp_path / "config.toml")

    def fail() -> Path:
        raise ConfigError("Can't save the config file in here: permission denied.")

    monkeypatch.setattr(config, "save", fail)
    settings = Settings(base_url=BASE)
    out, err = io.StringIO(), io.StringIO()

    async def approve() -> None:
        await wait_for(None, lambda: "authorize?" in out.getvalue(), what="the address")
        url = next(line.strip() for line in out.getvalue().splitlines() if "authorize?" in line)
        async with httpx.AsyncClient(transport=transport) as http:
            location = (await http.get(url)).headers["location"]
        async with httpx.AsyncClient() as http:
            await http.get(location)

    approving = asyncio.create_task(approve())
    with pytest.raises(ConfigError, match="permission denied"):
        await commands.run_login(
            settings, config, open_browser=False, out=out, err=err, transport=transport
        )
    await approving
    assert world.oauth.tokens == {} and len(world.oauth.revoked) == 1
