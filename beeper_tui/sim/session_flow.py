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

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from beeper_tui.sim.errors import Issue, SimError, conflict, invalid
from beeper_tui.sim.flows import Ask, AskCookies, Flow, Show, Step, Unsupported
from beeper_tui.sim.inputs import check_cookies, check_user_input

if TYPE_CHECKING:
    from beeper_tui.sim.world import World

ENDED = frozenset({"complete", "cancelled", "failed"})

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
        return self.status in ENDED

    @property
    def step(self) -> Step | None:
        if self.ended or self.step_index >= len(self.flow.steps):
            return None
        return self.flow.steps[self.step_index]


# --- Wire shapes ------------------------------------------------------------------------------


def display_wire(step: Show, data: str | None) -> dict[str, Any]:
    if step.display == "emoji":
        return {"type": "emoji", "imageURL": data or ""}
    if step.display in ("qr", "code"):
        return {"type": step.display, "data": data or ""}
    return {"type": step.display}


def step_wire(session: SimSession) -> dict[str, Any] | None:
    """``currentStep`` of a session; None once it ended."""
    step = session.step
    if step is None:
        return None
    wire: dict[str, Any]
    if isinstance(step, Ask):
        fields = [spec.to_wire() for spec in step.fields]
        wire = {"type": "user_input", "stepID": step.step_id, "fields": fields}
    elif isinstance(step, AskCookies):
        fields = [{"id": c.id, "type": c.type, "name": c.name} for c in step.fields]
        wire = {"type": "cookies", "stepID": step.step_id, "url": step.url, "fields": fields}
        for key, value in (
            ("userAgent", step.user_agent),
            ("expectedFinalURLRegex", step.expected_final_url_regex),
            ("extractJS", step.extract_js),
        ):
            if value is not None:
                wire[key] = value
    elif isinstance(step, Show):
        wire = {
            "type": "display_and_wait",
            "stepID": step.step_id,
            "display": display_wire(step, session.data),
        }
    else:
        wire = {"type": step.type, "stepID": step.step_id, **step.extra}
    wire["instructions"] = step.instructions
    return wire


def waiting_status(step: Step) -> str:
    if isinstance(step, AskCookies):
        return "waiting_for_cookies"
    if isinstance(step, Show):
        return "waiting_for_display"
    return "waiting_for_input"


def expected_submit_type(step: Step) -> str | None:
    """The ``type`` a submission of this step must carry; None when it cannot be submitted."""
    if isinstance(step, Ask):
        return "user_input"
    if isinstance(step, AskCookies):
        return "cookies"
    if isinstance(step, Show):
        return "display_and_wait"
    return None


# --- Moving on --------------------------------------------------------------------------------


def show_step(world: World, session: SimSession, at: float) -> None:
    """Make the step at ``session.step_index`` current (or finish the flow), as of time ``at``."""
    session.version += 1
    step = session.step
    if step is None:
        world.finish_session(session, at)
        return
    session.status = waiting_status(step)
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


def rotate(world: World, session: SimSession, at: float) -> None:
    """New QR data under the same stepID, or the timeout failure when codes ran out."""
    if session.codes_shown >= world.qr_rotations:
        end(session, "failed", at, {"code": "timeout", "message": QR_TIMEOUT_MESSAGE})
        return
    step = session.step
    assert isinstance(step, Show) and step.data is not None
    session.data = step.data(world.rng)
    session.codes_shown += 1
    session.next_rotation_at = at + world.qr_rotate_every
    session.version += 1


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
    expected = expected_submit_type(step)
    if expected is None:
        assert isinstance(step, Unsupported)
        raise SimError(
            400,
            "unsupported_step",
            f"The {step.type} step can't be completed through the API. "
            "Cancel and choose another way to sign in.",
        )
    if body.get("type") != expected:
        message = f"The current step expects type {expected!r}, not {body.get('type')!r}"
        raise invalid([Issue("invalid_literal", message, ("body", "type"))])
    if isinstance(step, Show):
        return True
    submitted = body.get("fields") or {}
    if isinstance(step, Ask):
        cleaned, issues = check_user_input(step, submitted)
    else:
        assert isinstance(step, AskCookies)
        cleaned, issues = check_cookies(step, submitted)
    if issues:
        raise invalid(issues)
    if isinstance(step, Ask) and any(cleaned.get(k) != v for k, v in step.must_be.items()):
        code, message = step.wrong
        end(session, "failed", now, {"code": code, "message": message})
        return False
    session.inputs.update(cleaned)
    next_step(world, session, now)
    return False
