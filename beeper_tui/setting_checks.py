"""What a usable base URL, custom header list and access token are, wherever they came from.

Each check raises :class:`ConfigError` with one sentence naming where the value came from
(``--base-url``, ``BEEPER_BASE_URL``, a config file line…) and what is wrong, never echoing a
header value or a token. The values checked here would otherwise fail deep inside httpx with a
traceback (an unclosed ``[``, a port of 99999, a non-ASCII header), or worse, send the token
somewhere it should not go (plain http across the network).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from beeper_tui.text import one_line

#: Headers httpx or the connection own: setting them by hand breaks every request.
FORBIDDEN_HEADERS = frozenset(
    {
        "content-length",
        "transfer-encoding",
        "host",
        "connection",
        "keep-alive",
        "upgrade",
        "te",
        "trailer",
        "expect",
        "proxy-connection",
    }
)
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


class ConfigError(Exception):
    """A setting or config file that cannot be used; ``str()`` is one line saying where it came
    from and what is wrong (the command prints it and exits 2). Re-exported by ``config``."""


def _visible_ascii(text: str) -> bool:
    return all(33 <= ord(char) <= 126 for char in text)


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and ``localhost``: addresses that never leave this computer."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(value: str, where: str, *, allow_remote: bool = False) -> str:
    """The base URL, without a trailing slash; raises :class:`ConfigError`."""
    if any(char in value for char in "\r\n"):
        raise ConfigError(f"{where}: the address has a line break in it.")
    url = value.strip()
    shown = one_line(url, 60)
    if not url:
        raise ConfigError(f"{where}: the address is empty.")
    if not url.lower().startswith(("http://", "https://")):
        raise ConfigError(f"{where}: the address must start with http:// or https://: {shown}")
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname or ""
    except ValueError as exc:
        reason = (
            "the port must be a number from 1 to 65535" if "port" in str(exc).lower() else str(exc)
        )
        raise ConfigError(f"{where}: {reason}: {shown}") from None
    if not host:
        raise ConfigError(f"{where}: the address has no host name: {shown}")
    if port == 0:
        raise ConfigError(f"{where}: the port must be a number from 1 to 65535: {shown}")
    if not host.isascii():
        try:
            ascii_form = host.encode("idna").decode("ascii")
            hint = f"; write it as {ascii_form}"
        except UnicodeError:
            hint = ""
        raise ConfigError(f"{where}: the host name is not plain ASCII{hint}.")
    if not _visible_ascii(url):
        raise ConfigError(f"{where}: the address has spaces or characters that are not ASCII.")
    if parts.username is not None or parts.password is not None:
        raise ConfigError(f"{where}: the address must not hold a user name or password.")
    if parts.query or parts.fragment:
        raise ConfigError(f"{where}: the address must not have a ? query or # fragment.")
    if parts.scheme.lower() == "http" and not is_loopback(host) and not allow_remote:
        raise ConfigError(
            f"{where}: refusing plain http to {one_line(host, 60)}, which is not this computer: "
            "the access token would cross the network in clear. Use https://, or pass "
            "--allow-remote if the network is yours."
        )
    return url.rstrip("/")


def parse_custom_headers(text: str, where: str = "BEEPER_CUSTOM_HEADERS") -> dict[str, str]:
    """One ``Name: value`` per line; blank lines are skipped. Errors name the line number, and
    never show a value (a line with no colon may be a whole ``Authorization`` header)."""
    headers: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        name, value = name.strip(), value.strip()
        if not sep:
            raise ConfigError(f"{where} line {number}: no colon; expected 'Name: value'.")
        if not name or not _HEADER_NAME.match(name):
            raise ConfigError(f"{where} line {number}: the header name is not a valid name.")
        if name.lower() in FORBIDDEN_HEADERS:
            raise ConfigError(
                f"{where} line {number}: {name} is set by the connection itself; remove it."
            )
        if not all(32 <= ord(char) <= 126 or char == "\t" for char in value):
            raise ConfigError(
                f"{where} line {number} ({name}): the value has a character that is not "
                "printable ASCII."
            )
        headers[name] = value
    return headers


def check_token(token: str, where: str) -> str:
    """The token with surrounding whitespace removed; it must be visible ASCII to travel in an
    ``Authorization`` header. The token itself is never part of the message."""
    token = token.strip()
    if not token:
        raise ConfigError(f"{where}: the token is empty.")
    if not _visible_ascii(token):
        raise ConfigError(
            f"{where}: the token has a space or a character that is not ASCII "
            "(access tokens are plain ASCII; was it copied whole?)."
        )
    return token
