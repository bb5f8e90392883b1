"""Open a client on a real Beeper Desktop, or on the embedded simulator for ``--demo``.

No textual import: the headless commands use this too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from beeper_tui.api.client import BeeperClient
from beeper_tui.config import Settings

if TYPE_CHECKING:
    from beeper_tui.request_log import RequestLog
    from beeper_tui.sim import World

DEMO_BASE_URL = "http://demo.beeper-tui.invalid"


@dataclass
class Connection:
    """A client and where it points. ``world`` is the embedded simulator's, in demo mode;
    ``settings`` say where the address and token came from (None in demo mode)."""

    client: BeeperClient
    label: str
    world: World | None = None
    settings: Settings | None = None
    #: The in-process transport (demo, tests), for any other client to the same server (the
    #: sign-in tries a pasted token on one of its own).
    transport: httpx.AsyncBaseTransport | None = field(default=None, repr=False)


@dataclass(frozen=True)
class NamedConnection:
    """A connection and the name of the target it reaches (``default`` for the top-level
    settings), for commands that cover several Beeper Desktops."""

    name: str
    connection: Connection


def connect(
    settings: Settings, *, log: RequestLog | None = None, **client_options: Any
) -> Connection:
    """A client for a real Beeper Desktop at ``settings.base_url``; ``log`` (``--log``)
    sees its traffic through :class:`~beeper_tui.request_log.LoggingTransport`."""
    if log is not None:
        from beeper_tui.request_log import logged_transport

        client_options["transport"] = logged_transport(
            log, client_options.get("transport"), settings.base_url
        )
    client = BeeperClient(
        settings.base_url,
        settings.token,
        custom_headers=settings.custom_headers,
        **client_options,
    )
    transport = client_options.get("transport")
    return Connection(client, settings.base_url, settings=settings, transport=transport)


def connect_demo(
    world: World | None = None, *, log: RequestLog | None = None, **client_options: Any
) -> Connection:
    """A client on the embedded simulator, in-process: no port, no Beeper Desktop needed."""
    from beeper_tui.sim import build_demo_world, create_app, sim_transport

    world = world or build_demo_world(autoscan=4.0, live_changes=True)
    transport = sim_transport(create_app(world))
    if log is not None:
        from beeper_tui.request_log import logged_transport

        transport = logged_transport(log, transport, DEMO_BASE_URL)
    client = BeeperClient(DEMO_BASE_URL, world.token, transport=transport, **client_options)
    return Connection(client, "embedded demo", world, transport=transport)
