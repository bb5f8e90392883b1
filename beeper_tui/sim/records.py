"""The simulator's records of what a Beeper Desktop holds: bridges, logins and accounts, as
plain data; ``world.py`` keeps them and changes them, ``shapes.py`` turns them into JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from beeper_tui.sim.flows import Flow


@dataclass
class SimBridge:
    id: str
    display_name: str
    type: str
    provider: str
    network: str
    supports_multiple: bool = True
    limit: int | None = None
    fixed_status: str | None = None  # temporarily_unavailable / disabled
    fixed_text: str | None = None
    flows: tuple[Flow, ...] = ()
    remove_scopes: tuple[str, ...] = ("all-devices",)


@dataclass
class SimLogin:
    bridge_id: str
    login_id: str
    user: dict[str, Any]
    remove_scopes: tuple[str, ...]


@dataclass
class SimAccount:
    account_id: str
    bridge_id: str
    login_id: str
    user: dict[str, Any]
    status: str = "connected"
    status_text: str | None = None
    backfill_until: float | None = None
