"""Signing in to Beeper Desktop: OAuth 2.0 with PKCE (``oauth.py``), its loopback callback
(``callback.py``), and why a sign-in fails (``errors.py``). Headless: no textual import.
``beeper-tui auth login|status|logout`` is in ``commands.py``."""

from beeper_tui.auth.errors import (
    AuthorizationFailed,
    ExchangeRefused,
    PastedAddressInvalid,
    RegistrationRefused,
    ServerUnreachable,
    SignInCancelled,
    SignInDenied,
    SignInError,
    SignInTimedOut,
    StateMismatch,
)
from beeper_tui.auth.oauth import (
    DEFAULT_TIMEOUT,
    IssuedToken,
    OAuthSignIn,
    TokenStatus,
    introspect,
    revoke,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "AuthorizationFailed",
    "ExchangeRefused",
    "IssuedToken",
    "OAuthSignIn",
    "PastedAddressInvalid",
    "RegistrationRefused",
    "ServerUnreachable",
    "SignInCancelled",
    "SignInDenied",
    "SignInError",
    "SignInTimedOut",
    "StateMismatch",
    "TokenStatus",
    "introspect",
    "revoke",
]
