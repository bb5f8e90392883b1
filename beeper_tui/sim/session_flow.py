"""Login sessions: where a session is in its flow, and how it moves on.

Everything time-based is lazy: nothing runs in the background. Whoever looks at a session
(a GET, a waiting long-poll, ``World.scan``…) first calls :func:`advance`, which plays the
events that fell due since the last look, in time order:

- the phone side "scans" a displayed step ``autoscan`` seconds after it was shown;
- a rotating QR gets new data (same stepID) ``qr_rotate_first`` s after it was shown, then
  every ``qr_rotate_every`` s, until ``qr_rotations`` codes were shown in total; at the next
  deadline the session fails with error code ``timeout``.

Each change bumps ``version``: a display_and_wait long-poll returns as soon as the version
differs from the one it started with. All functions here run under the world's lock.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Protocol

from beeper_tui.api.models import SESSION_ENDED
from beeper_tui.sim.errors import conflict
from beeper_tui.sim.flows import Flow
from beeper_tui.sim.steps import Show, Step

QR_TIMEOUT_MESSAGE = "The QR code expired before it was scanned. Start again for a new code."


@dataclass
class SimSession:
    id: str
    bridge_id: str
    flow: Flow
    created_at: float
    login_id: str | None = None  # reconnect target
    account_id: str | None = None  # reconnect target
    step_index: int = 0
    status: str = "waiting_for_input"
    version: int = 0
    shown_at: float = 0.0
    data: str | None = None
    codes_shown: int = 0
    next_rotation_at: float | None = None
    inputs: dict[str, str] = field(default_factory=dict)
    error: dict[str, Any] | None = None
    ended_at: float | None = None

    @property
    def ended(self) -> bool:
        return self.status in SESSION_ENDED

    @property
    def step(self) -> Step | None:
        if self.ended or self.step_index >= len(self.flow.steps):
            return None
        return self.flow.steps[self.step_index]


class World(Protocol):
    """What moving a session on needs of the world (``world.World`` is one): its dice, the
    phone side's and the QR code's timing, and the end of a session that completes."""

    rng: random.Random
    autoscan: float | None
    qr_rotate_first: float
    qr_rotate_every: float
    qr_rotations: int

    def finish_session(self, session: SimSession, at: float) -> None: ...


# --- Moving on --------------------------------------------------------------------------------


def show_step(world: World, session: SimSession, at: float) -> None:
    """Make the step at ``session.step_index`` current (or finish the flow), as of time ``at``."""
    session.version += 1
    step = session.step
    if step is None:
        world.finish_session(session, at)
        return
    session.status = step.status
    session.shown_at = at
    session.data = step.data(world.rng) if isinstance(step, Show) and step.data else None
    session.codes_shown = 1
    rotates = isinstance(step, Show) and step.rotates
    session.next_rotation_at = at + world.qr_rotate_first if rotates else None


def next_step(world: World, session: SimSession, at: float) -> None:
    session.step_index += 1
    show_step(world, session, at)


def end(session: SimSession, status: str, at: float, error: dict[str, Any] | None = None) -> None:
    session.status = status
    session.error = error
    session.ended_at = at
    session.next_rotation_at = None
    session.version += 1


def new_code(world: World, session: SimSession, at: float) -> None:
    """Show new data now under the same stepID (a rotating QR's next code is then due
    ``qr_rotate_every`` s later); the session must be displaying a step that has data."""
    step = session.step
    assert isinstance(step, Show) and step.data is not None
    session.data = step.data(world.rng)
    session.codes_shown += 1
    session.next_rotation_at = at + world.qr_rotate_every if step.rotates else None
    session.version += 1


def rotate(world: World, session: SimSession, at: float) -> None:
    """A rotating QR's due rotation: its next code, or the timeout failure when codes ran out."""
    if session.codes_shown >= world.qr_rotations:
        end(session, "failed", at, {"code": "timeout", "message": QR_TIMEOUT_MESSAGE})
        return
    new_code(world, session, at)


def advance(world: World, session: SimSession, now: float) -> None:
    """Play the scans and rotations that fell due up to ``now``, oldest first."""
    while not session.ended and isinstance(session.step, Show):
        scan_at = session.shown_at + world.autoscan if world.autoscan is not None else None
        rotate_at = session.next_rotation_at
        due = [at for at in (scan_at, rotate_at) if at is not None and at <= now]
        if not due:
            return
        at = min(due)
        if at == scan_at:
            next_step(world, session, at)
        else:
            rotate(world, session, at)


def submit(
    world: World, session: SimSession, step_id: str, body: dict[str, Any], now: float
) -> bool:
    """Apply a step submission. True when the caller must wait (display_and_wait long-poll)."""
    if session.ended:
        raise conflict("session_ended", f"This login session already ended ({session.status}).")
    step = session.step
    assert step is not None
    if step_id != step.step_id:
        raise conflict(
            "step_mismatch",
            f"Step {step_id!r} is not the current step of this login session; "
            f"the current step is {step.step_id!r}.",
        )
    cleaned = step.accept(body)
    if step.waits:
        return True
    error = step.failure(cleaned)
    if error is not None:
        end(session, "failed", now, error)
        return False
    session.inputs.update(cleaned)
    next_step(world, session, now)
    return False
