"""What Beeper Desktop's first answers say about where beeper-tui can go: the accounts, or a
screen that says what is missing. Pure (no textual): tested without an app.

Two requests, side by side: ``GET /v1/app/setup`` (public until Beeper Desktop is signed in and
set up) and ``GET /v1/bridges`` (with the token, when there is one). A 401 from a token that
then works for ``GET /v1/accounts`` was a passing refusal: the accounts screen shows it and
carries on, as for any failed poll.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, Literal

from beeper_tui.api import errors
from beeper_tui.api.client import BeeperClient

Verdict = Literal["ready", "unreachable", "setup", "no-token", "refused"]


@dataclass(frozen=True)
class DesktopCheck:
    """Where to go, and why."""

    verdict: Verdict
    setup_state: str | None = None
    """``GET /v1/app/setup``'s state, when Beeper Desktop answered it."""
    problem: str = ""
    """Why it is not reachable (our own sentence), for ``unreachable``."""


def _not_there(answer: object) -> bool:
    """Nothing answered at the address (refused, no such host, no https there). A slow
    answer or a dropped connection means something is there: the accounts screen says so
    and retries, as for any failed poll."""
    slow_or_dropped = (errors.TimedOut, errors.ConnectionDropped)
    return isinstance(answer, errors.Unreachable) and not isinstance(answer, slow_or_dropped)


async def _outcome(call: Awaitable[Any] | None) -> Any:
    """The answer or the error of ``call``; None when there was nothing to ask."""
    if call is None:
        return None
    try:
        return await call
    except errors.BeeperError as exc:
        return exc


async def check_desktop(
    client: BeeperClient,
    *,
    bridges: Awaitable[Any] | None = None,
    setup: Awaitable[Any] | None = None,
) -> DesktopCheck:
    """Ask (or take the answers already asked for in ``bridges`` and ``setup``) and decide."""
    if bridges is None and client.has_token:
        bridges = client.bridges()
    setup_answer, bridges_answer = await asyncio.gather(
        _outcome(setup or client.app_setup()), _outcome(bridges)
    )
    for answer in (bridges_answer, setup_answer):
        if _not_there(answer):
            return DesktopCheck("unreachable", problem=answer.message)
    state = getattr(setup_answer, "state", None)
    if isinstance(state, str) and state != "ready":
        return DesktopCheck("setup", setup_state=state)
    if not client.has_token:
        return DesktopCheck("no-token", setup_state=state)
    if isinstance(bridges_answer, errors.Unauthorized):
        try:
            await client.accounts()
        except errors.Unauthorized:
            return DesktopCheck("refused", setup_state=state)
        except errors.BeeperError:
            pass
    return DesktopCheck("ready", setup_state=state)
