"""What ``r`` does in the login wizard after something went wrong, and what the banner says
then: start over from the bridge, re-read the session (it may still be going), or open a new
one (it is gone). Words only, no Textual: the screen shows them in its banner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from beeper_tui.api import errors

Recovery = Literal["start", "reread", "fresh"]
"""What ``r`` does now: start over from the bridge, re-read the session, or open a new one."""

RETRY_KEYS: dict[Recovery, str] = {
    "start": "r try again · esc leave",
    "reread": "r retry (carries on where the login was) · esc leave",
    "fresh": "r start a new login · esc leave",
}
"""The keys line of the banner, for each recovery."""


@dataclass(frozen=True)
class Trouble:
    """A banner's words and what ``r`` does after them."""

    message: str
    hint: str
    recovery: Recovery

    @property
    def keys(self) -> str:
        return RETRY_KEYS[self.recovery]


SESSION_GONE = Trouble(
    "This login session has expired or is gone.",
    "A login session lasts at most 30 minutes. Start again for a new one.",
    "fresh",
)
"""The server no longer knows the session (404): only a new one can go on."""


def failed_request(err: errors.BeeperError) -> Trouble:
    """A request about the open session failed: gone (404), only a new session can go on;
    else re-read the session, which may still be going."""
    if isinstance(err, errors.NotFound):
        return SESSION_GONE
    return Trouble(err.message, err.hint, "reread")


def unforeseen(error: BaseException | None, session_open: bool) -> Trouble:
    """A worker failed in a way nobody foresaw: say what, and retry where the login was (or
    from the start when no session is open)."""
    return Trouble(
        f"Something unexpected went wrong: {type(error).__name__}: {error}",
        "Retry, or leave and start again.",
        "reread" if session_open else "start",
    )
