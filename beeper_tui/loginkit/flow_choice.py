"""Which login flow the flow picker preselects, and which flows it marks "finish in Beeper
Desktop".

The API lists a bridge's flows as ``{id, name?, description?}`` only, and uses the first one
when a session is created without a ``flowID``: that is the server's default. A flow beeper-tui
knows it can't finish in a terminal — its words say passkey, security key or WebAuthn, or a
session on it once reached such a step (``FlowMemory.cannot_finish``) — is marked and never
preselected. Among the others the picker preselects, in this order: the flow the account being
reconnected last used, the last flow that succeeded on the bridge, the server's default (or,
when that one needs Beeper Desktop, the first flow that does not). The same inputs give the
same choice every time. Headless.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from beeper_tui.api.models import LoginFlow

#: Words in a flow's ID, name or description that mean a step a terminal can't do.
DESKTOP_ONLY_WORDS = (
    "passkey",
    "pass key",
    "security key",
    "webauthn",
    "fido",
    "yubikey",
    "hardware key",
)


def needs_desktop(flow: LoginFlow, learned: Collection[str] = ()) -> bool:
    """The flow can only be finished in Beeper Desktop: learned so, or its words say so."""
    if flow.id in learned:
        return True
    words = " ".join(part for part in (flow.id, flow.name, flow.description) if part)
    folded = words.casefold()
    return any(word in folded for word in DESKTOP_ONLY_WORDS)


@dataclass(frozen=True)
class FlowChoice:
    """What the picker shows about a bridge's flows."""

    preselected: str | None
    """The flow highlighted when the picker opens (None: every flow needs Beeper Desktop)."""
    server_default: str | None
    """The flow the server uses without a ``flowID``: the first it lists."""
    remembered: str | None
    """The preselected flow, when it was chosen because it was used last."""
    desktop_only: frozenset[str]
    """Flows marked "finish in Beeper Desktop"."""


def choose_flow(
    flows: Sequence[LoginFlow],
    *,
    learned: Collection[str] = (),
    remembered: Sequence[str | None] = (),
) -> FlowChoice:
    """The choice for ``flows``: ``learned`` are flows known to need Beeper Desktop,
    ``remembered`` the flows used before, most specific first (the account's, the bridge's)."""
    desktop_only = frozenset(f.id for f in flows if needs_desktop(f, learned))
    finishable = [f.id for f in flows if f.id not in desktop_only]
    server_default = flows[0].id if flows else None
    used = next((flow_id for flow_id in remembered if flow_id in finishable), None)
    preselected = used or (finishable[0] if finishable else None)
    return FlowChoice(preselected, server_default, used, desktop_only)
