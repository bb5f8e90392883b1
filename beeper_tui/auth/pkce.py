"""PKCE (RFC 7636) with S256, and the ``state`` value: fresh random strings per sign-in."""

from __future__ import annotations

import base64
import hashlib
import secrets


def new_verifier() -> str:
    """A code verifier: 64 URL-safe characters (RFC 7636 allows 43 to 128)."""
    return secrets.token_urlsafe(48)


def challenge_of(verifier: str) -> str:
    """``BASE64URL(SHA256(verifier))`` without padding: what the authorize URL carries."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_state() -> str:
    """An unguessable ``state`` binding the callback to this request."""
    return secrets.token_urlsafe(24)
