"""TLS, which Beeper Desktop's plain ``http://localhost`` never needs: whether a client may
ever use it (else the CA bundle is not loaded), and what went wrong with it, in words."""

from __future__ import annotations

import os
import ssl


def tls_problem(exc: BaseException) -> str | None:
    """What went wrong with TLS in a connect error, in words; None when it was not TLS."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            reason = str(seen).upper()
            if "CERTIFICATE" in reason:
                return "its certificate is not trusted"
            if any(word in reason for word in ("WRONG_VERSION", "RECORD_LAYER", "PACKET_LENGTH")):
                return "the server speaks plain http, not https"
            return "the TLS handshake failed"
        seen = seen.__cause__ or seen.__context__
    return None


def may_use_tls(base_url: str) -> bool:
    """Whether requests may ever travel over TLS: an https base URL or a proxy from the env.

    Beeper Desktop listens on plain ``http://localhost``; for such a URL no certificate is
    ever checked, so the client skips loading the CA bundle (about 50 ms of start-up).
    """
    if not base_url.lower().startswith("http://"):
        return True
    names = (name.lower() for name in os.environ)
    return any(name.endswith("_proxy") and name != "no_proxy" for name in names)
