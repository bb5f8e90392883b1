"""``SignedIn``: what a sign-in gives — a token Beeper Desktop accepts, and what to keep of it;
and :data:`Next`, what each first screen dismisses with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from beeper_tui.tui.signin.first_check import DesktopCheck


@dataclass(frozen=True)
class SignedIn:
    """A token Beeper Desktop accepts, and what to keep of it."""

    token: str = field(repr=False)
    remember: bool = True
    kind: str = "pasted"
    """"oauth" (authorized in Beeper Desktop) or "pasted"."""
    expires_at: datetime | None = None
    client_id: str | None = None


Next = DesktopCheck | SignedIn | Literal["demo"] | None
"""What a first screen dismisses with: a new check, a sign-in, the demo, or nothing (quit)."""
