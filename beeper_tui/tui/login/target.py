"""``LoginTarget``: what one login wizard is logging into — which bridge, with which flow, a new
account or the reconnect of which login and account — and the words and decisions that follow
from it alone: the header's title, whether a new account may be added, what the flow picker
preselects, what the flow memory learns, and how the wizard ended (``LoginOutcome``).

The wizard screen owns one and draws what it says; it holds no session (that is the
``LoginSessionDriver``) and imports no Textual, so it is tested without an app. Not to be
confused with a ``DesktopTarget``, *which Beeper Desktop* the login is on: of that it only
keeps the name, for the title ("WhatsApp on work").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from beeper_tui.api.adding import why_cant_add
from beeper_tui.api.client import BeeperClient
from beeper_tui.api.models import Account, APIError, Bridge, LoginFlow, LoginSession
from beeper_tui.flow_memory import FlowMemory
from beeper_tui.loginkit.flow_choice import FlowChoice, choose_flow
from beeper_tui.tui.login.identity import account_being_fixed, sign_in_as
from beeper_tui.tui.login.outcome import LoginOutcome, complete_step_of, login_outcome
from beeper_tui.tui.login.wizard_title import WizardTitle, flow_name, purpose_of


@dataclass
class LoginTarget:
    """The bridge, flow, login and account one wizard signs in to, and what is known of them
    (the bridge and its flows, once read)."""

    bridge_id: str
    flow_id: str | None = None
    """The flow asked for or picked; None for the server's default (or not chosen yet)."""
    login_id: str | None = None
    """The login a reconnect is for; None (and no ``account_id``) for a new account."""
    account_id: str | None = None
    desktop: str | None = field(default=None, kw_only=True)
    """The name of the Beeper Desktop the login is on, with several; None with one."""
    resume_session: str | None = field(default=None, kw_only=True)
    """A session opened earlier (a leftover of a beeper-tui that crashed) to carry on with at
    its current step, until it is carried on with or found gone; None: the wizard opens its
    own."""
    bridge: Bridge | None = field(default=None, init=False)
    """The bridge as Beeper Desktop last described it (``read``)."""
    flows: list[LoginFlow] = field(default_factory=list, init=False)
    picked_flow: bool = field(default=False, init=False)
    """The flow came from the picker: Esc on its first step goes back to the picker."""
    flow_in_use: str | None = field(default=None, init=False)
    """The flow of the session the wizard opened: the one chosen, else the server's default
    (the first listed). None when unknown (a session it did not open itself), and then the
    flow memory learns nothing from it."""

    # --- What it is --------------------------------------------------------------------------

    @property
    def bridge_name(self) -> str:
        """The bridge's name once read, its ID before."""
        return self.bridge.display_name if self.bridge else self.bridge_id

    @property
    def reconnecting(self) -> bool:
        """A reconnect of a login or account, not a new account."""
        return bool(self.login_id or self.account_id)

    @property
    def fixing(self) -> Account | None:
        """The account a reconnect is for, as the bridge lists it (None for a new one)."""
        if not self.reconnecting:
            return None
        return account_being_fixed(self.bridge, self.login_id, self.account_id)

    def title(self, step: str | None = None) -> WizardTitle:
        """What the header says, on ``step`` ("Step 2 · Enter the code"; None: no step yet)."""
        name = f"{self.bridge_name} on {self.desktop}" if self.desktop else self.bridge_name
        purpose = purpose_of(self.bridge, self.login_id, self.account_id)
        flow = flow_name(self.flows, self.flow_id)
        return WizardTitle(name, purpose, flow, step, sign_in_as(self.fixing))

    async def read(self, client: BeeperClient) -> Bridge:
        """Read the bridge and its flows from Beeper Desktop (``errors.BeeperError`` when it
        can't say)."""
        self.bridge = bridge = await client.bridge(self.bridge_id)
        self.flows = await client.login_flows(self.bridge_id)
        return bridge

    def cant_add(self) -> APIError | None:
        """Why the bridge can't take a new account now, as the error the outcome carries; None
        when it can, or before it is read, or on a reconnect (which may always try)."""
        bridge = self.bridge
        why = None if bridge is None or self.reconnecting else why_cant_add(bridge)
        if bridge is None or why is None:
            return None
        code = bridge.status if not bridge.can_add_account else "limit_reached"
        return APIError(code=code, message=why)

    # --- The flow ----------------------------------------------------------------------------

    @property
    def asks_for_flow(self) -> bool:
        """No flow was asked for and the bridge offers several: the person picks one."""
        return self.flow_id is None and len(self.flows) > 1

    def flow_choice(self, memory: FlowMemory) -> FlowChoice:
        """What the picker preselects and marks, from what the flow memory knows: the flow
        this account last used, the bridge's last successful one, flows needing the Desktop."""
        account = memory.flow_of(self.bridge_id, login_id=self.login_id, account_id=self.account_id)
        return choose_flow(
            self.flows,
            learned=memory.cannot_finish(self.bridge_id),
            remembered=[account if self.reconnecting else None, memory.last_flow(self.bridge_id)],
        )

    def pick(self, flow_id: str | None) -> None:
        """The person picked ``flow_id`` in the picker (None: back to picking one)."""
        self.flow_id, self.picked_flow = flow_id, flow_id is not None

    def session_opened(self) -> None:
        """The wizard opened a session itself: its flow is the chosen one or the default."""
        self.flow_in_use = self.flow_id or (self.flows[0].id if self.flows else None)

    def reached_step_it_cannot_do(self, memory: FlowMemory) -> None:
        """The session reached a step this version can't drive: the flow memory marks its
        flow "finish in Beeper Desktop" (when the flow is known)."""
        if self.flow_in_use:
            memory.reached_step_it_cannot_do(self.bridge_id, self.flow_in_use)

    def succeeded(self, memory: FlowMemory, outcome: LoginOutcome) -> None:
        """The login completed: the flow memory remembers its flow for the bridge and for the
        account connected (when the flow is known)."""
        if self.flow_in_use:
            memory.succeeded(
                self.bridge_id,
                self.flow_in_use,
                login_id=outcome.login_id,
                account_id=outcome.account_id,
            )

    # --- How it ended ------------------------------------------------------------------------

    def outcome(
        self, status: str, session: LoginSession | None = None, error: APIError | None = None
    ) -> LoginOutcome:
        """How the wizard ended (or ends now), for the screen that opened it: a complete one
        with the ``complete`` step of ``session`` (who was connected)."""
        step = complete_step_of(session) if status == "complete" and session else None
        return login_outcome(
            status,
            bridge_id=self.bridge_id,
            flow_id=self.flow_id,
            login_id=self.login_id,
            account_id=self.account_id,
            session=session,
            step=step,
            error=error,
            fixing=self.fixing,
        )
