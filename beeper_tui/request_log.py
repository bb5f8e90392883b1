"""``--log FILE``: one line per request, login-step change, account status change and error,
with the server's version — and never a secret.

:class:`LoggingTransport` wraps the client's httpx transport, so the client itself does not
change: the connection code installs it when logging is on. Everything is derived from the
traffic it sees — the request line and status, the time to the last byte, login-session bodies
(status and step, never field values), ``/v1/bridges`` and ``/v1/accounts`` bodies (status per
account) and error bodies (the server's message).

Nothing is written before it is redacted: every value that could be a secret is learnt from
the traffic first — the request's header values (the bearer token, custom headers, cookies),
submitted form and cookie fields, password/code/token keys of request bodies, issued tokens,
``Set-Cookie`` values, and QR or code data shown by a login step — and replaced by ``***``
wherever it would appear.
Bodies themselves are never written, only paths (no query strings). Server text goes through
:func:`beeper_tui.text.one_line`. The file is created mode 0600 (by ``os.open``, never a chmod
after the fact) and appended to; a failure to write is ignored, never a crash. Headless.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections import deque
from collections.abc import AsyncIterator, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qsl, quote, unquote

import httpx

from beeper_tui.text import one_line

VERSION_HEADER = "X-Beeper-Desktop-Version"
REDACTED = "***"
#: Shorter values are not redacted (replacing every "1" would ruin the log); secrets are longer.
MIN_SECRET = 4
#: Response bytes read for what the log derives from a body; a bigger body is not inspected.
MAX_INSPECTED = 4 * 1024 * 1024
#: Request headers whose values are not secret (every other one is redacted wherever seen).
PLAIN_HEADERS = frozenset(
    {
        "host",
        "accept",
        "accept-encoding",
        "connection",
        "content-length",
        "content-type",
        "user-agent",
    }
)
#: Request body keys whose string values are secrets (``fields`` holds what a person typed or
#: pasted: every value under it).
REQUEST_SECRET_KEYS = frozenset(
    {
        "token",
        "access_token",
        "refresh_token",
        "password",
        "code",
        "code_verifier",
        "client_secret",
        "cookie",
        "cookies",
        "fields",
        "value",
    }
)
#: Response body keys whose string values are secrets: issued tokens, and what a login step
#: shows to be scanned or typed (``display.data``: a QR code's or a pairing code's content).
#: Not ``fields`` (there it describes the inputs) nor ``code`` (there an error's kind).
RESPONSE_SECRET_KEYS = frozenset(
    {
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "password",
        "client_secret",
        "cookies",
        "value",
        "data",
    }
)


class LogError(Exception):
    """The log file could not be opened, with a message naming it."""


def open_log_file(path: str | os.PathLike[str]) -> TextIO:
    """``path`` opened for appending, created mode 0600 if new (never chmod-ed after)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    except OSError as exc:
        raise LogError(f"Can't open the log file {path}: {exc.strerror or exc}.") from None
    return os.fdopen(fd, "a", buffering=1, encoding="utf-8", errors="replace")


def _variants(value: str) -> Iterable[str]:
    """A secret as it may appear: as sent, URL-decoded and URL-encoded."""
    yield value
    yield unquote(value)
    yield quote(value, safe="")


def _secret_values(node: Any, keys: frozenset[str], under_secret: bool = False) -> Iterable[str]:
    """Every string in a JSON body that sits under one of ``keys`` (at any depth)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _secret_values(value, keys, under_secret or str(key).lower() in keys)
    elif isinstance(node, list):
        for value in node:
            yield from _secret_values(value, keys, under_secret)
    elif isinstance(node, str) and under_secret:
        yield node


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


class RequestLog:
    """The log: redacts what it has learnt, then writes one timestamped line per event."""

    def __init__(self, out: TextIO, *, clock: Any = None) -> None:
        self._out = out
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lasting: set[str] = set()
        self._passing: deque[str] = deque(maxlen=4096)
        self._longest_first: list[str] | None = None
        self._server_version: str | None = None
        self._steps: dict[str, tuple[str, str]] = {}
        self._accounts: dict[str, str] = {}

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> RequestLog:
        """A log appending to ``path`` (created 0600); :class:`LogError` when it can't."""
        return cls(open_log_file(path))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._out.close()

    # --- Secrets -------------------------------------------------------------------------------

    def learn_secret(self, value: str, *, lasting: bool = False) -> None:
        """Never write ``value`` (nor its URL-encoded forms). ``lasting`` ones (the token)
        are kept for ever; the rest among the last few thousand learnt."""
        self._longest_first = None
        for variant in _variants(value.strip()):
            if len(variant) >= MIN_SECRET:
                if lasting:
                    self._lasting.add(variant)
                elif variant not in self._passing:
                    self._passing.append(variant)

    def redact(self, text: str) -> str:
        """``text`` with every secret learnt so far replaced by ``***``."""
        if self._longest_first is None:
            # Longest first, so a secret that contains another is replaced whole.
            secrets = {*self._lasting, *self._passing}
            self._longest_first = sorted(secrets, key=len, reverse=True)
        for secret in self._longest_first:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    # --- Writing -------------------------------------------------------------------------------

    def write(self, kind: str, text: str) -> None:
        """One line: UTC time, the kind of event, then ``text`` cleaned and redacted."""
        stamp = self._clock().isoformat(timespec="milliseconds").replace("+00:00", "Z")
        line = self.redact(one_line(self.redact(text)))
        with contextlib.suppress(OSError, ValueError):
            self._out.write(f"{stamp} {kind:<7} {line}\n")

    # --- What the traffic says -----------------------------------------------------------------

    def saw_request(self, request: httpx.Request) -> None:
        """Learn the secrets a request carries, before anything about it is written."""
        for name, value in request.headers.items():
            if name.lower() in PLAIN_HEADERS:
                continue
            _, _, credential = value.partition(" ")
            if name.lower() == "authorization" and credential:
                self.learn_secret(credential, lasting=True)
            self.learn_secret(value, lasting=True)
            if name.lower() == "cookie":
                for pair in value.split(";"):
                    self.learn_secret(pair.partition("=")[2], lasting=True)
        body = request.content
        content_type = request.headers.get("content-type", "")
        if "application/x-www-form-urlencoded" in content_type:
            for key, value in parse_qsl(body.decode("utf-8", "replace")):
                if key.lower() in REQUEST_SECRET_KEYS:
                    self.learn_secret(value)
        else:
            for value in _secret_values(_json(body), REQUEST_SECRET_KEYS):
                self.learn_secret(value)

    def saw_response(
        self,
        request: httpx.Request,
        response: httpx.Response,
        body: bytes | None,
        seconds: float,
    ) -> None:
        """Write the request line, then whatever the answer says changed."""
        for cookie in response.headers.get_list("set-cookie"):
            self.learn_secret(cookie.partition(";")[0].partition("=")[2])
        data = _json(body) if body is not None else None
        for value in _secret_values(data, RESPONSE_SECRET_KEYS):
            self.learn_secret(value)
        version = response.headers.get(VERSION_HEADER)
        if version:
            self._server_version = version
        self.write(
            "request",
            f"{request.method} {request.url.path} {response.status_code} "
            f"{seconds * 1000:.0f} ms · Beeper Desktop {self._server_version or 'unknown'}",
        )
        if response.status_code >= 400:
            message = data.get("message") if isinstance(data, dict) else None
            self.write(
                "error",
                f"{request.method} {request.url.path} answered {response.status_code}"
                + (f": {one_line(message, 200)}" if message else ""),
            )
        elif data is not None:
            self._derive(request.url.path, data)

    def saw_failure(self, request: httpx.Request, exc: BaseException, seconds: float) -> None:
        self.write(
            "error",
            f"{request.method} {request.url.path} failed after {seconds * 1000:.0f} ms: "
            f"{type(exc).__name__}{f' ({one_line(exc, 160)})' if str(exc) else ''}",
        )

    def _derive(self, path: str, data: Any) -> None:
        if path.endswith("/v1/accounts") and isinstance(data, list):
            self._account_statuses(data)
        if not isinstance(data, dict):
            return
        if "loginSessionID" in data:
            self._session_step(data)
        items = data.get("items")
        if path.endswith("/v1/bridges") and isinstance(items, list):
            for bridge in items:
                if isinstance(bridge, dict):
                    self._account_statuses(bridge.get("accounts"))
        elif path.rstrip("/").rsplit("/", 2)[-2:-1] == ["bridges"] and "accounts" in data:
            self._account_statuses(data.get("accounts"))
        if isinstance(data.get("account"), dict):
            self._account_statuses([data["account"]])

    def _session_step(self, session: dict[str, Any]) -> None:
        session_id = str(session.get("loginSessionID"))
        status = str(session.get("status"))
        step = session.get("currentStep")
        what = "no step"
        if isinstance(step, dict):
            what = f"{step.get('type')} {step.get('stepID')}"
            display = step.get("display")
            if isinstance(display, dict):
                what += f" showing {display.get('type')}"
            fields = step.get("fields")
            if isinstance(fields, list):
                ids = [str(f.get("id")) for f in fields if isinstance(f, dict)]
                what += f" asking {', '.join(ids)}" if ids else ""
        key = f"{session.get('bridgeID')}/{session_id}"
        if self._steps.get(key) == (status, what):
            return
        self._steps[key] = (status, what)
        error = session.get("error")
        said = ""
        if isinstance(error, dict) and error.get("message"):
            said = f" — {one_line(error.get('message'), 160)}"
        self.write(
            "login", f"{session.get('bridgeID')} session {session_id}: {status}, {what}{said}"
        )

    def _account_statuses(self, accounts: Any) -> None:
        if not isinstance(accounts, list):
            return
        for account in accounts:
            if not isinstance(account, dict) or "accountID" not in account:
                continue
            account_id, status = str(account["accountID"]), str(account.get("status"))
            before = self._accounts.get(account_id)
            self._accounts[account_id] = status
            if before is not None and before != status:
                text = account.get("statusText")
                self.write(
                    "account",
                    f"{account_id}: {before} → {status}"
                    + (f" — {one_line(text, 160)}" if text else ""),
                )


class _InspectedStream(httpx.AsyncByteStream):
    """The response body, passed through as it streams; what was read (up to a cap) is handed
    to ``done`` once, at its end or when it is closed early (then ``None``)."""

    def __init__(self, inner: httpx.AsyncByteStream, done: Any) -> None:
        self._inner = inner
        self._done = done
        self._kept: list[bytes] = []
        self._size = 0
        self._finished = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            self._size += len(chunk)
            if self._size <= MAX_INSPECTED:
                self._kept.append(chunk)
            yield chunk
        self._finish(b"".join(self._kept) if self._size <= MAX_INSPECTED else None)

    def _finish(self, body: bytes | None) -> None:
        if not self._finished:
            self._finished = True
            self._done(body)

    async def aclose(self) -> None:
        self._finish(None)
        await self._inner.aclose()


class LoggingTransport(httpx.AsyncBaseTransport):
    """Passes every request to ``inner`` and tells ``log`` what it saw (see the module)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, log: RequestLog) -> None:
        self._inner = inner
        self.log = log

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.log.saw_request(request)
        started = time.perf_counter()
        try:
            response = await self._inner.handle_async_request(request)
        except BaseException as exc:
            self.log.saw_failure(request, exc, time.perf_counter() - started)
            raise

        def done(body: bytes | None) -> None:
            self.log.saw_response(request, response, body, time.perf_counter() - started)

        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_InspectedStream(response.stream, done),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._inner.aclose()


def logged_transport(
    log: RequestLog, inner: httpx.AsyncBaseTransport | None, base_url: str
) -> LoggingTransport:
    """``inner`` (or the transport httpx would have made) wrapped for ``log``. The default
    one checks certificates only for an https address, as the client's own does: a plain
    http address never uses TLS, so no CA bundle is loaded for it."""
    if inner is None:
        inner = httpx.AsyncHTTPTransport(verify=base_url.lower().startswith("https://"))
    return LoggingTransport(inner, log)


def log_path_from(flag: str | None, env: Mapping[str, str]) -> Path | None:
    """The log file: ``--log FILE``, else ``$BEEPER_TUI_LOG``, else none (off by default)."""
    named = flag or env.get("BEEPER_TUI_LOG")
    return Path(named).expanduser() if named else None
