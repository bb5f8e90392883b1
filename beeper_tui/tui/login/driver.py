"""``LoginSessionDriver``: the one login session the wizard has open on a bridge — creating it,
long-polling its waiting steps, submitting the others, reading it again, cancelling it.

It holds what the server last said (``session``) and which session is open (``open_id``), and
tells a ``SessionTracker`` (the app's safety net, ``OpenSessions``) whenever a session opens or
ends, so that a way out the wizard never sees still cancels it. It draws nothing and imports
no Textual: the wizard screen runs it in its workers and draws each answer; the tests drive it
against the simulator alone.

The rules it keeps (see API-NOTES): a create is never retried (a retry could open a second
session) and is shielded, so that a create still in flight when the person leaves is cancelled
once it lands; every submit carries the stepID of the latest answer; a ``display_and_wait``
step is submitted again while it still waits, and a 409 there means it moved on meanwhile, so
the session is read back — a 409 for a step that did not move on is retried a few times with a
growing pause, then raised, never looped on; a 404 means the session is gone; a cancel that
fails leaves the session tracked, for the app to try again (``OpenSessions.cancel_later``, and
once more as it quits).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from typing import Protocol

from beeper_tui.api import errors
from beeper_tui.api.client import BeeperClient
from beeper_tui.api.models import CompleteStep, DisplayAndWaitStep, LoginSession, LoginStep
from beeper_tui.tui.login.open_sessions import CANCEL_TIMEOUT as _CANCEL_TIMEOUT


class SessionTracker(Protocol):
    """Told of every login session that opens or ends; ``OpenSessions`` is the app's."""

    def track_session(self, bridge_id: str, session_id: str) -> None: ...

    def untrack_session(self, bridge_id: str, session_id: str) -> None: ...


def is_over(session: LoginSession) -> bool:
    """The session ended (complete, failed, cancelled) or shows its ``complete`` step."""
    return session.ended or isinstance(session.current_step, CompleteStep)


class LoginSessionDriver:
    """One login session at a time on ``bridge_id``: create, wait, submit, reread, cancel.

    Each request answers the latest ``LoginSession`` — or ``None`` when the session it was
    about was closed or replaced while the request was under way (the answer is stale). A 404
    forgets the session before ``errors.NotFound`` is raised; other errors leave it open.
    """

    SETTLE_TIMEOUT = 3.0
    """Seconds to wait for a create still in flight, when closing."""
    CANCEL_TIMEOUT = _CANCEL_TIMEOUT
    """Seconds a cancel may take before the session is left to the tracker."""
    CONFLICT_RETRIES = 3
    """Long-polls answered 409 while the step stayed the same, in a row, before giving up."""
    CONFLICT_PAUSE = 0.5
    """Seconds before the first long-poll after such a 409; doubled for each one after it."""

    def __init__(
        self, client: BeeperClient, bridge_id: str, tracker: SessionTracker | None = None
    ) -> None:
        self.client = client
        self.bridge_id = bridge_id
        self.tracker = tracker
        self.session: LoginSession | None = None
        """The latest answer of the server about the session."""
        self.open_id: str | None = None
        """The session open on the server (ours to cancel), if any."""
        self.cancel_error: errors.BeeperError | None = None
        """Why the last ``cancel`` failed (None when it went through)."""
        self._creating: asyncio.Future[LoginSession] | None = None
        self._conflicts = 0

    # --- What the session is doing -------------------------------------------------------------

    @property
    def step(self) -> LoginStep | None:
        """The current step of the open session."""
        return self.session.current_step if self.session and self.open_id else None

    @property
    def waiting(self) -> bool:
        """The open session shows a ``display_and_wait`` step: it is to be long-polled."""
        return isinstance(self.step, DisplayAndWaitStep)

    # --- Requests -------------------------------------------------------------------------------

    async def create(
        self,
        *,
        flow_id: str | None = None,
        login_id: str | None = None,
        account_id: str | None = None,
    ) -> LoginSession:
        """Open a session: a new account, or a reconnect with ``login_id``/``account_id``.

        Never retried. Shielded: if the caller is cancelled meanwhile, the request goes on and
        ``close`` (or ``settle_creation``) waits for its session to cancel it too."""
        self._creating = creating = asyncio.ensure_future(
            self.client.create_login_session(
                self.bridge_id, flow_id=flow_id, login_id=login_id, account_id=account_id
            )
        )
        try:
            session = await asyncio.shield(creating)
        except errors.BeeperError:
            self._creating = None
            raise
        self._creating = None
        self.session = session
        if not is_over(session):
            self._hold(session.login_session_id)
        return session

    async def resume(self, session_id: str) -> LoginSession:
        """Take over a session opened earlier (one a beeper-tui that crashed left open): read
        where it is now and hold it as if it had been created here, so that every way out
        cancels it. A 404 (it expired meanwhile) raises ``errors.NotFound``."""
        answer = await self.client.login_session(self.bridge_id, session_id)
        self.session = answer
        if not is_over(answer):
            self._hold(session_id)
        return answer

    async def wait(self) -> LoginSession | None:
        """One long-poll of the waiting step, with its latest stepID: the answer when
        something happened (the next step, the end, or the same step redrawn — a rotated QR
        code). A 409 means the step moved on before the poll arrived: the session is read
        back instead. When the read shows the same step (the 409 was not about a step that
        moved on), the next poll waits a little longer each time, and after
        ``CONFLICT_RETRIES`` of them the 409 is raised: a clear error, not endless polls."""
        session_id, step = self.open_id, self.step
        if session_id is None or not isinstance(step, DisplayAndWaitStep):
            return None
        try:
            try:
                answer = await self.client.submit_step(
                    self.bridge_id, session_id, step.step_id, type="display_and_wait"
                )
                self._conflicts = 0
            except errors.Conflict as conflict:
                answer = await self.client.login_session(self.bridge_id, session_id)
                if answer.current_step is not None and answer.current_step.step_id == step.step_id:
                    await self._after_conflict(conflict)
                else:
                    self._conflicts = 0
        except errors.NotFound:
            self._forget(session_id)
            raise
        return self._answered(session_id, answer)

    async def _after_conflict(self, conflict: errors.Conflict) -> None:
        """A 409 for a step that is still the current one: pause before polling again, or
        give up with the conflict once it happened ``CONFLICT_RETRIES`` times in a row."""
        self._conflicts += 1
        if self._conflicts > self.CONFLICT_RETRIES:
            self._conflicts = 0
            raise errors.Conflict(
                "Beeper Desktop keeps refusing to wait on this step (409 conflict).",
                hint="Press r to try again, or leave and start a new login.",
                status=conflict.status,
                code=conflict.code,
                endpoint=conflict.endpoint,
                body=conflict.body,
            )
        await asyncio.sleep(self.CONFLICT_PAUSE * 2 ** (self._conflicts - 1))

    async def waits(self) -> AsyncIterator[LoginSession]:
        """Each answer of the long-poll, submitted again while the step still waits; ends
        when the session moves to a step that does not wait, ends, or is closed."""
        while self.waiting:
            answer = await self.wait()
            if answer is None:
                return
            yield answer

    async def submit(
        self,
        *,
        step_id: str | None = None,
        type: str | None = None,
        fields: Mapping[str, str] | None = None,
        last_url: str | None = None,
        source: str | None = None,
    ) -> LoginSession | None:
        """Submit the current form or cookies step. The stepID is the latest answer's (a
        widget's ``step_id`` only when that has none); ``errors.Invalid`` carries the issues,
        and the session stays on its step."""
        session_id, step = self.open_id, self.step
        if session_id is None or step is None:
            return None
        try:
            answer = await self.client.submit_step(
                self.bridge_id,
                session_id,
                step.step_id or step_id or "",
                type=type or step.type,
                fields=fields,
                last_url=last_url,
                source=source,
            )
        except errors.NotFound:
            self._forget(session_id)
            raise
        return self._answered(session_id, answer)

    async def reread(self) -> LoginSession | None:
        """Read the open session again (after a dropped connection): where it is now."""
        session_id = self.open_id
        if session_id is None:
            return None
        try:
            answer = await self.client.login_session(self.bridge_id, session_id)
        except errors.NotFound:
            self._forget(session_id)
            raise
        return self._answered(session_id, answer)

    async def cancel(self) -> bool:
        """DELETE the open session; one already gone (404) counts as cancelled. False when the
        cancel failed: the session stays open here and in the tracker."""
        session_id = self.open_id
        self.cancel_error = None
        if session_id is None:
            return True
        try:
            async with asyncio.timeout(self.CANCEL_TIMEOUT):
                await self.client.cancel_login_session(self.bridge_id, session_id)
        except errors.NotFound:
            pass
        except errors.BeeperError as err:
            self.cancel_error = err
            return False
        except TimeoutError:
            self.cancel_error = errors.TimedOut()
            return False
        self._forget(session_id)
        return True

    def let_go(self) -> tuple[str, str] | None:
        """Hand the open session over to the tracker alone (its cancel failed and the app
        tries again later): the driver forgets it, the tracker keeps it. ``(bridge, session)``
        or None when nothing was open."""
        session_id, self.open_id = self.open_id, None
        return (self.bridge_id, session_id) if session_id is not None else None

    async def settle_creation(self) -> None:
        """A create still in flight (its caller was cancelled): wait for its session, so
        that it is held — and can be cancelled."""
        creating, self._creating = self._creating, None
        if creating is None:
            return
        with contextlib.suppress(Exception):
            async with asyncio.timeout(self.SETTLE_TIMEOUT):
                session = await asyncio.shield(creating)
                if not is_over(session):
                    self._hold(session.login_session_id)

    async def close(self) -> bool:
        """Cancel whatever is open, a create in flight included; True when nothing is left."""
        await self.settle_creation()
        return await self.cancel()

    # --- Bookkeeping ------------------------------------------------------------------------------

    def _answered(self, session_id: str, answer: LoginSession) -> LoginSession | None:
        """Keep ``answer`` if it is about the session still open; forget it once over."""
        if session_id != self.open_id:
            return None
        self.session = answer
        if is_over(answer):
            self._forget(session_id)
        return answer

    def _hold(self, session_id: str) -> None:
        self.open_id = session_id
        if self.tracker is not None:
            self.tracker.track_session(self.bridge_id, session_id)

    def _forget(self, session_id: str) -> None:
        if self.open_id == session_id:
            self.open_id = None
        if self.tracker is not None:
            self.tracker.untrack_session(self.bridge_id, session_id)
