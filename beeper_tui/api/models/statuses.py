"""The known value sets of the API's status strings (strings outside them still parse), and
the one health classification of an account status every screen uses."""

from __future__ import annotations

from enum import StrEnum

PROVIDERS = ("cloud", "self-hosted", "local", "platform-sdk")
ACCOUNT_STATUSES = (
    "connected",
    "connecting",
    "backfilling",
    "connection_required",
    "reconnect_required",
    "attention_required",
    "disconnected",
    "disabled",
)
BRIDGE_STATUSES = ("available", "connected", "limit_reached", "temporarily_unavailable", "disabled")
LOGIN_STATUSES = ("connected", "connecting", "needs_login", "logged_out", "unknown")
SESSION_STATUSES = (
    "waiting_for_input",
    "waiting_for_cookies",
    "waiting_for_display",
    "complete",
    "cancelled",
    "failed",
)
REMOVE_SCOPES = ("current-device", "all-devices")
SESSION_ENDED = frozenset({"complete", "cancelled", "failed"})
#: Bridge statuses under which a new account cannot be connected now.
BRIDGE_UNAVAILABLE = frozenset({"limit_reached", "temporarily_unavailable", "disabled"})


class Health(StrEnum):
    """How an account is doing, in the words every screen uses."""

    ATTENTION = "needs attention"
    UNKNOWN = "unknown"
    WORKING = "working"
    OK = "ok"
    OFF = "off"

    @property
    def rank(self) -> int:
        """Sort key: attention first, disabled last."""
        return _HEALTH_RANKS[self]

    @property
    def glyph(self) -> str:
        """A mark that goes beside the word, so health never rests on colour alone."""
        return _HEALTH_GLYPHS[self]


#: Each health's place in the order (a lookup: sorting 2 000 accounts asks 2 000 times).
_HEALTH_RANKS = {health: rank for rank, health in enumerate(Health)}
_HEALTH_GLYPHS = {
    Health.ATTENTION: "✖",
    Health.UNKNOWN: "?",
    Health.WORKING: "↻",
    Health.OK: "✔",
    Health.OFF: "–",
}


_HEALTH_BY_STATUS = {
    "reconnect_required": Health.ATTENTION,
    "attention_required": Health.ATTENTION,
    "connection_required": Health.ATTENTION,
    "disconnected": Health.ATTENTION,
    "connecting": Health.WORKING,
    "backfilling": Health.WORKING,
    "connected": Health.OK,
    "disabled": Health.OFF,
}


def classify_health(status: str) -> Health:
    """The one classification of an account status used by every screen and command."""
    return _HEALTH_BY_STATUS.get(status, Health.UNKNOWN)
