"""What each ``GET /v1/app/setup`` state means for a person, and what to do in Beeper Desktop.
Pure (no textual)."""

from __future__ import annotations

from typing import NamedTuple

from beeper_tui.text import one_line


class SetupWords(NamedTuple):
    """A headline and the thing to do."""

    headline: str
    what_to_do: str


_WORDS = {
    "needs-login": SetupWords(
        "Beeper Desktop is not signed in.",
        "Open Beeper Desktop and sign in to your Beeper account.",
    ),
    "initializing": SetupWords(
        "Beeper Desktop is still starting up.",
        "Wait a moment with Beeper Desktop open.",
    ),
    "needs-cross-signing-setup": SetupWords(
        "Beeper Desktop is setting up encrypted messaging.",
        "Finish the security setup Beeper Desktop shows.",
    ),
    "needs-verification": SetupWords(
        "Beeper Desktop is waiting for this device to be verified.",
        "In Beeper Desktop, verify this device from another signed-in device or with your "
        "recovery key.",
    ),
    "needs-secrets": SetupWords(
        "Beeper Desktop is waiting for your encryption keys.",
        "Enter your recovery key in Beeper Desktop, or verify from another device.",
    ),
    "needs-first-sync": SetupWords(
        "Beeper Desktop is syncing your chats for the first time.",
        "This can take a few minutes; keep Beeper Desktop open.",
    ),
}


def setup_words(state: str) -> SetupWords:
    """The words for ``state`` (server text, so an unknown one is shown cleaned)."""
    known = _WORDS.get(state)
    if known is not None:
        return known
    return SetupWords(
        f"Beeper Desktop is not ready yet ({one_line(state, 40)}).",
        "Finish what Beeper Desktop asks for.",
    )
