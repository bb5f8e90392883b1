"""The simulator's in-memory Beeper Desktop: bridges, logins, accounts and login sessions.

The state is plain data (bridges, logins, accounts, sessions) behind thread-safe methods the
routes in ``app.py`` call; time-based changes (auto-scan, QR rotation, backfilling, expiry)
are applied lazily when the state is read. The demo world's table is in ``demo.py``.
"""

from __future__ import annotations

import asyncio
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from beeper_tui.api.models import BRIDGE_UNAVAILABLE
from beeper_tui.sim import session_flow, shapes
from beeper_tui.sim.errors import Issue, conflict, invalid, not_found
from beeper_tui.sim.faults import Faults
from beeper_tui.sim.flows import NewAccount, b64, digits
from beeper_tui.sim.oauth import OAuthServer
from beeper_tui.sim.records import SimAccount, SimBridge, SimLogin
from beeper_tui.sim.steps import Show

BRIDGE_ID = re.compile(r"^[A-Za-z0-9_-]+$")
LIMIT_TEXT = "Account limit reached: remove an account to add another"
BACKFILL_TEXT = "Syncing recent messages…"
#: (status, statusText) an account may flip to under live changes.
TROUBLES = (
    ("reconnect_required", "Signed out on the phone: sign in again to reconnect"),
    ("connection_required", "Can't reach your phone: check that it is online"),
    ("attention_required", "Needs your attention: open the app on your phone"),
    ("disconnected", "Disconnected: retrying in 30 seconds"),
)


@dataclass
class World:
    """All simulator state; every method is thread-safe (uvicorn may run in another thread)."""

    token: str = "demo-token"
    autoscan: float | None = None
    live_changes: bool = False
    qr_rotate_first: float = 60.0
    qr_rotate_every: float = 20.0
    qr_rotations: int = 5
    session_ttl: float = 1800.0
    backfill_seconds: float = 2.0
    long_poll_max: float = 300.0
    poll_interval: float = 0.02
    live_every: tuple[float, float] = (20.0, 40.0)
    app_version: str = "4.2.800"
    seed: int = 7
    clock: Callable[[], float] = time.monotonic
    bridges: dict[str, SimBridge] = field(default_factory=dict)
    logins: dict[tuple[str, str], SimLogin] = field(default_factory=dict)
    accounts: dict[str, SimAccount] = field(default_factory=dict)
    sessions: dict[str, session_flow.SimSession] = field(default_factory=dict)
    faults: Faults = field(default_factory=Faults)
    requests: list[tuple[str, str]] = field(default_factory=list)
    oauth: OAuthServer = field(default_factory=OAuthServer)
    #: ``GET /v1/app/setup``'s state (``setup_state.SETUP_STATES``).
    setup_state: str = "ready"
    #: A reconnect completes as someone else (signed in with another phone or account): a
    #: new login is added as a new account would be, and the one reconnected stays broken.
    reconnect_as_someone_else: bool = False

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.lock = threading.RLock()
        self._next_live_change: float | None = None
        self._backfilling: set[str] = set()
        self._long_polls: Counter[str] = Counter()

    # --- Building ----------------------------------------------------------------------------

    def add_bridge(self, bridge: SimBridge) -> SimBridge:
        with self.lock:
            self.bridges[bridge.id] = bridge
        return bridge

    def add_account(
        self,
        bridge_id: str,
        login_id: str,
        user: dict[str, Any],
        *,
        status: str = "connected",
        status_text: str | None = None,
        account_id: str | None = None,
    ) -> SimAccount:
        """Add an account (and its login when new); the account ID defaults to bridge_login."""
        with self.lock:
            bridge = self.bridges[bridge_id]
            key = (bridge_id, login_id)
            if key not in self.logins:
                self.logins[key] = SimLogin(bridge_id, login_id, user, bridge.remove_scopes)
            account_id = account_id or f"{bridge_id}_{login_id}"
            account = SimAccount(account_id, bridge_id, login_id, user, status, status_text)
            self.accounts[account_id] = account
            return account

    # --- Lazy time ---------------------------------------------------------------------------

    def now(self) -> float:
        return self.clock()

    @contextmanager
    def _settled(self) -> Iterator[float]:
        """Hold the lock, with the changes that fell due by now applied; yields now."""
        with self.lock:
            now = self.now()
            self._settle(now)
            yield now

    def _settle(self, now: float) -> None:
        """Finish backfills that are due and play a live change when one is due."""
        for account_id in list(self._backfilling):
            account = self.accounts.get(account_id)
            if account is None or account.backfill_until is None:
                self._backfilling.discard(account_id)
            elif now >= account.backfill_until:
                account.status, account.status_text = "connected", None
                account.backfill_until = None
                self._backfilling.discard(account_id)
        if self.live_changes:
            self._maybe_live_change(now)

    def _maybe_live_change(self, now: float) -> None:
        if self._next_live_change is None:
            self._next_live_change = now + self.rng.uniform(*self.live_every)
            return
        if now < self._next_live_change:
            return
        self._next_live_change = now + self.rng.uniform(*self.live_every)
        candidates = [a for a in self.accounts.values() if a.status != "disabled"]
        if not candidates:
            return
        account = self.rng.choice(candidates)
        if account.status == "connected":
            account.status, account.status_text = self.rng.choice(TROUBLES)
        else:
            account.status, account.status_text = "connected", None
        account.backfill_until = None

    # --- Bridges and accounts --------------------------------------------------------------

    def bridge_accounts(self, bridge_id: str) -> list[SimAccount]:
        return [a for a in self.accounts.values() if a.bridge_id == bridge_id]

    def bridge_status(self, bridge: SimBridge) -> tuple[str, str | None]:
        """Whether a new account can be connected now, and why not."""
        count = len(self.bridge_accounts(bridge.id))
        if bridge.fixed_status:
            return bridge.fixed_status, bridge.fixed_text
        if bridge.limit is not None and count >= bridge.limit:
            return "limit_reached", LIMIT_TEXT
        return ("connected" if count else "available"), None

    # --- Reading -----------------------------------------------------------------------------

    def bridge(self, bridge_id: str) -> SimBridge:
        if not BRIDGE_ID.match(bridge_id):
            issue = Issue(
                "invalid_string", "Bridge ID may only hold A-Z a-z 0-9 _ -", ("path", "bridgeID")
            )
            raise invalid([issue])
        bridge = self.bridges.get(bridge_id)
        if bridge is None:
            raise not_found(f"Bridge {bridge_id!r} not found")
        return bridge

    def list_accounts(self) -> list[dict[str, Any]]:
        with self._settled():
            return [shapes.account_wire(self, a) for a in self.accounts.values()]

    def get_account(self, account_id: str) -> dict[str, Any]:
        with self._settled():
            account = self.accounts.get(account_id)
            if account is None:
                raise not_found(f"Account {account_id!r} not found")
            return shapes.account_wire(self, account)

    def list_bridges(self) -> list[dict[str, Any]]:
        with self._settled():
            return [shapes.bridge_wire(self, b) for b in self.bridges.values()]

    def get_bridge(self, bridge_id: str) -> dict[str, Any]:
        with self._settled():
            return shapes.bridge_wire(self, self.bridge(bridge_id))

    def login_flows(self, bridge_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return [flow.to_wire() for flow in self.bridge(bridge_id).flows]

    def list_logins(self, bridge_id: str) -> list[dict[str, Any]]:
        with self._settled():
            self.bridge(bridge_id)
            by_login: dict[str, list[SimAccount]] = {}
            for account in self.bridge_accounts(bridge_id):
                by_login.setdefault(account.login_id, []).append(account)
            return [
                shapes.login_wire(self, login, by_login.get(login.login_id, []))
                for login in self.logins.values()
                if login.bridge_id == bridge_id
            ]

    def _login(self, bridge_id: str, login_id: str) -> SimLogin:
        self.bridge(bridge_id)
        login = self.logins.get((bridge_id, login_id))
        if login is None:
            raise not_found(f"Login {login_id!r} not found on bridge {bridge_id!r}")
        return login

    def get_login(self, bridge_id: str, login_id: str) -> dict[str, Any]:
        with self._settled():
            return shapes.login_wire(self, self._login(bridge_id, login_id))

    # --- Changing ----------------------------------------------------------------------------

    def remove_login(self, bridge_id: str, login_id: str, scope: str) -> dict[str, Any]:
        """Remove a login and its accounts, if ``scope`` is one the login offers."""
        with self.lock:
            login = self._login(bridge_id, login_id)
            if scope not in login.remove_scopes:
                offered = ", ".join(login.remove_scopes)
                message = f"This login can't be removed with scope {scope!r}; offered: {offered}"
                raise invalid([Issue("invalid_enum_value", message, ("body", "scope"))])
            affected = [
                a.account_id for a in self.bridge_accounts(bridge_id) if a.login_id == login_id
            ]
            for account_id in affected:
                del self.accounts[account_id]
            del self.logins[(bridge_id, login_id)]
            return {
                "bridgeID": bridge_id,
                "loginID": login_id,
                "scope": scope,
                "status": "removed",
                "affectedAccountIDs": affected,
            }

    def set_account_status(
        self, account_id: str, status: str, status_text: str | None = None
    ) -> None:
        with self.lock:
            account = self.accounts[account_id]
            account.status, account.status_text = status, status_text
            account.backfill_until = None

    # --- Login sessions ----------------------------------------------------------------------

    def _reconnect_target(
        self, bridge: SimBridge, login_id: str | None, account_id: str | None
    ) -> tuple[str | None, str | None]:
        if account_id is not None:
            account = self.accounts.get(account_id)
            if account is None or account.bridge_id != bridge.id:
                raise not_found(f"Account {account_id!r} not found on bridge {bridge.id!r}")
            if login_id is not None and login_id != account.login_id:
                message = f"Account {account_id!r} does not belong to login {login_id!r}"
                raise invalid([Issue("custom", message, ("body", "loginID"))])
            login_id = account.login_id
        if login_id is not None:
            self._login(bridge.id, login_id)
            if account_id is None:
                first = next(
                    (a for a in self.bridge_accounts(bridge.id) if a.login_id == login_id), None
                )
                account_id = first.account_id if first else None
        return login_id, account_id

    def _check_can_add(self, bridge: SimBridge) -> None:
        status, status_text = self.bridge_status(bridge)
        if status in BRIDGE_UNAVAILABLE:
            raise conflict(status, status_text or f"{bridge.display_name} can't add accounts now")
        if not bridge.supports_multiple and self.bridge_accounts(bridge.id):
            message = f"{bridge.display_name} supports one account, and it is already added"
            raise conflict("limit_reached", message)

    def create_session(
        self,
        bridge_id: str,
        *,
        flow_id: str | None = None,
        login_id: str | None = None,
        account_id: str | None = None,
    ) -> dict[str, Any]:
        """Start a login session: a reconnect when ``login_id``/``account_id`` is given."""
        with self._settled() as now:
            bridge = self.bridge(bridge_id)
            if not bridge.flows:
                message = f"{bridge.display_name} can't be signed in through the API"
                raise conflict("no_login_flows", message)
            flow = bridge.flows[0]
            if flow_id is not None:
                flow = next((f for f in bridge.flows if f.id == flow_id), None)  # type: ignore[assignment]
                if flow is None:
                    offered = ", ".join(f.id for f in bridge.flows)
                    message = f"Unknown login flow {flow_id!r}; this bridge offers: {offered}"
                    raise invalid([Issue("invalid_enum_value", message, ("body", "flowID"))])
            login_id, account_id = self._reconnect_target(bridge, login_id, account_id)
            if login_id is None:
                self._check_can_add(bridge)
            session_id = "ls_" + b64(self.rng, 12, urlsafe=True)
            session = session_flow.SimSession(
                session_id, bridge.id, flow, now, login_id, account_id
            )
            self.sessions[session_id] = session
            session_flow.show_step(self, session, now)
            return shapes.session_wire(self, session)

    def finish_session(self, session: session_flow.SimSession, at: float) -> None:
        """The flow's last step is done: bring back the login's accounts or add new ones (a
        reconnect too, with ``reconnect_as_someone_else``)."""
        bridge = self.bridges[session.bridge_id]
        until = at + self.backfill_seconds
        if session.login_id is not None and not self.reconnect_as_someone_else:
            accounts = [
                a for a in self.bridge_accounts(bridge.id) if a.login_id == session.login_id
            ]
            if not accounts:
                error = {"code": "login_removed", "message": "This login was removed meanwhile."}
                session_flow.end(session, "failed", at, error)
                return
        else:
            accounts = self._add_login(bridge, session.flow.makes(self.rng, session.inputs))
            session.login_id = accounts[0].login_id
            session.account_id = accounts[0].account_id
        for account in accounts:
            account.status, account.status_text = "backfilling", BACKFILL_TEXT
            account.backfill_until = until
            self._backfilling.add(account.account_id)
        session_flow.end(session, "complete", at)

    def _add_login(self, bridge: SimBridge, made: list[NewAccount]) -> list[SimAccount]:
        local = bridge.provider in ("local", "platform-sdk")
        login_id = "ba_" + b64(self.rng, 20, urlsafe=True)[:27] if local else digits(self.rng, 18)
        accounts = []
        for new in made:
            user = {**new.user, "id": new.user.get("id") or login_id}
            account_id = f"{bridge.id}.{new.key}" if new.key else None
            accounts.append(self.add_account(bridge.id, login_id, user, account_id=account_id))
        return accounts

    def _session(self, bridge_id: str, session_id: str) -> session_flow.SimSession:
        """The session, advanced to now; 404 when unknown, of another bridge, or expired."""
        self.bridge(bridge_id)
        now = self.now()
        self._expire_due(now)
        session = self.sessions.get(session_id)
        if session is None or session.bridge_id != bridge_id:
            raise not_found(f"Login session {session_id!r} not found (it may have expired)")
        session_flow.advance(self, session, now)
        return session

    def _expire_due(self, now: float) -> None:
        for session_id, session in list(self.sessions.items()):
            if now >= session.created_at + self.session_ttl:
                del self.sessions[session_id]

    def get_session(self, bridge_id: str, session_id: str) -> dict[str, Any]:
        with self._settled():
            return shapes.session_wire(self, self._session(bridge_id, session_id))

    def cancel_session(self, bridge_id: str, session_id: str) -> dict[str, Any]:
        """Cancel an open session; cancelling an ended one changes nothing."""
        with self.lock:
            session = self._session(bridge_id, session_id)
            if not session.ended:
                session_flow.end(session, "cancelled", self.now())
            return {"bridgeID": bridge_id, "loginSessionID": session_id, "status": "cancelled"}

    def submit_step(
        self, bridge_id: str, session_id: str, step_id: str, body: dict[str, Any]
    ) -> tuple[dict[str, Any], int | None]:
        """Submit a step: (session, None) — or (session, version) when the caller must
        long-poll until the session's version differs (display_and_wait)."""
        with self.lock:
            session = self._session(bridge_id, session_id)
            wait = session_flow.submit(self, session, step_id, body, self.now())
            return shapes.session_wire(self, session), (session.version if wait else None)

    def poll_session(self, bridge_id: str, session_id: str, version: int) -> dict[str, Any] | None:
        """The session if it changed since ``version`` (or ended), else None."""
        with self._settled():
            session = self._session(bridge_id, session_id)
            if session.version != version or session.ended:
                return shapes.session_wire(self, session)
            return None

    @contextmanager
    def long_poll(self, session_id: str) -> Iterator[None]:
        """Count a display_and_wait submission as waiting on ``session_id`` while inside."""
        with self.lock:
            self._long_polls[session_id] += 1
        try:
            yield
        finally:
            with self.lock:
                self._long_polls[session_id] -= 1

    # --- The phone side and test handles ---------------------------------------------------------

    def _sessions_now(self, session_id: str | None = None) -> list[session_flow.SimSession]:
        """The live sessions (or the one asked for), advanced to now; the expired are gone."""
        now = self.now()
        self._expire_due(now)
        found = [s for s in self.sessions.values() if session_id in (None, s.id)]
        for session in found:
            session_flow.advance(self, session, now)
        return found

    def _displaying(self, session_id: str | None) -> list[session_flow.SimSession]:
        return [s for s in self._sessions_now(session_id) if isinstance(s.step, Show)]

    def scan(self, session_id: str | None = None) -> int:
        """Complete the displayed QR/emoji/code/nothing step of one or all sessions."""
        with self.lock:
            shown = self._displaying(session_id)
            for session in shown:
                session_flow.next_step(self, session, self.now())
            return len(shown)

    def rotate_qr(self, session_id: str | None = None) -> int:
        """Show new QR data now (same stepID) in one or all sessions displaying a QR."""
        with self.lock:
            shown = [s for s in self._displaying(session_id) if _shows_qr(s)]
            for session in shown:
                session_flow.new_code(self, session, self.now())
            return len(shown)

    def expire_session(self, session_id: str) -> None:
        """Make a session expire now: afterwards it answers 404."""
        with self.lock:
            self.sessions.pop(session_id, None)

    def open_sessions(self) -> list[dict[str, Any]]:
        """Wire shapes of the sessions not yet complete, failed, cancelled or expired."""
        with self.lock:
            return [shapes.session_wire(self, s) for s in self._sessions_now() if not s.ended]

    @property
    def open_session_count(self) -> int:
        """How many sessions :meth:`open_sessions` lists (every way out must bring it to 0)."""
        return len(self.open_sessions())

    def waiting_long_polls(self, session_id: str | None = None) -> int:
        """How many display_and_wait submissions wait on ``session_id`` (or on any session)
        right now."""
        with self.lock:
            if session_id is None:
                return sum(self._long_polls.values())
            return self._long_polls[session_id]

    async def until_waiting(
        self, session_id: str | None = None, count: int = 1, timeout: float = 5.0
    ) -> None:
        """Return once ``count`` long-polls wait on ``session_id`` (or on any session): only
        then may the phone side act, since a scan before that would move the session off the
        step the submission names. Raises TimeoutError after ``timeout`` s of real time."""
        async with asyncio.timeout(timeout):
            while self.waiting_long_polls(session_id) < count:
                await asyncio.sleep(0.002)


def _shows_qr(session: session_flow.SimSession) -> bool:
    step = session.step
    return isinstance(step, Show) and step.display == "qr" and step.data is not None
