"""Whether a bridge can take another account now, and if not, why — the one policy the
accounts list, the add-account picker, the command palette and the login wizard all use.

The reason is a sentence for the person: the server's own words (``statusText``) when it gives
them, else the bridge's status said plainly. It may hold server text, so it is shown through
``beeper_tui.text`` like any other.
"""

from __future__ import annotations

from beeper_tui.api.models import Bridge

#: The bridge statuses that refuse a new account (``BRIDGE_UNAVAILABLE``), in words.
UNAVAILABLE_WORDS = {
    "limit_reached": "has reached its account limit",
    "temporarily_unavailable": "is temporarily unavailable",
    "disabled": "is disabled",
}


def why_cant_add(bridge: Bridge) -> str | None:
    """Why ``bridge`` can't take another account now, or None when it can: it refuses new
    accounts (its status), or it takes one account and already has it."""
    if not bridge.can_add_account:
        if bridge.status_text:
            return bridge.status_text
        words = UNAVAILABLE_WORDS.get(bridge.status, f"is {bridge.status.replace('_', ' ')}")
        return f"{bridge.display_name} {words}."
    if not bridge.supports_multiple_accounts and bridge.active_account_count >= 1:
        return f"{bridge.display_name} takes one account, and it already has one."
    return None
