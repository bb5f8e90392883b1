"""``BeeperClient``: a typed async client for the Beeper Desktop API.

One method per endpoint an account manager uses. GETs retry on connect errors, 429 (honouring
``Retry-After``) and 502/503 with capped backoff; POST and DELETE never retry, except a
``display_and_wait`` submit whose long-poll hit the read timeout, which is re-submitted (upstream
joins the same wait). Every failure is raised as a :mod:`beeper_tui.api.errors` class.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from beeper_tui import __version__
from beeper_tui.api import answers, errors, models, tls
from beeper_tui.api.models import (
    Account,
    AppSetup,
    Bridge,
    BridgeLogin,
    CancelLoginSessionResult,
    Info,
    LoginFlow,
    RemoveLoginResult,
)
from beeper_tui.api.plain_http import PlainHTTPTransport

if TYPE_CHECKING:
    from beeper_tui.api.models import LoginSession

#: What :attr:`BeeperClient.on_unauthorized` is: given the 401, a new token to send the request
#: again with (once), or None to raise :class:`~beeper_tui.api.errors.Unauthorized` as usual.
UnauthorizedHook = Callable[[errors.Unauthorized], Awaitable[str | None]]

DEFAULT_BASE_URL = "http://127.0.0.1:23373"
#: A display_and_wait long-poll is kept open at least this long before re-submitting.
LONG_POLL_SECONDS = 130.0
#: No response body is read past this many bytes (Beeper Desktop's answers are far smaller).
MAX_BODY_BYTES = 20 * 1024 * 1024

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class _LongPollTimedOut(Exception):
    """Internal: a long-poll ran past the read timeout (safe to re-submit)."""


class _ItemsOf(BaseModel, Generic[M]):
    """Any ``{items: [...]}`` list envelope (``_ItemsOf[Bridge]``); other keys are ignored."""

    items: list[M]


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(shape: type[T]) -> TypeAdapter[T]:
    """A cached TypeAdapter per shape (building one costs more than using it)."""
    adapter = _ADAPTERS.get(shape)
    if adapter is None:
        adapter = _ADAPTERS[shape] = TypeAdapter(shape)
    return adapter


def _segment(value: str) -> str:
    """One path segment, escaped. A lone surrogate (valid in JSON, so possible in an ID the
    server sent) is sent back as the bytes it stands for, never a UnicodeEncodeError."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def open_http(
    base_url: str,
    token: str | None,
    transport: httpx.AsyncBaseTransport | None,
    custom_headers: Mapping[str, str] | None,
    timeout: float,
) -> httpx.AsyncClient:
    """The httpx client every request to Beeper Desktop goes through (this client's and the
    OAuth sign-in's): beeper-tui's User-Agent, JSON asked for, the user's custom headers, the
    token if any; over plain ``http://`` the light transport and no CA bundle (``tls.py``)."""
    headers = {"User-Agent": f"beeper-tui/{__version__}", "Accept": "application/json"}
    headers.update(custom_headers or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    secure = tls.may_use_tls(base_url)
    if transport is None and not secure:
        transport = PlainHTTPTransport()
    return httpx.AsyncClient(
        base_url=base_url, headers=headers, transport=transport, timeout=timeout, verify=secure
    )


class BeeperClient:
    """Async client over :class:`httpx.AsyncClient`; use it as ``async with BeeperClient(...)``.

    The token is held privately and never appears in ``repr``, error text or logs.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        token: str | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        custom_headers: Mapping[str, str] | None = None,
        timeout: float = 10.0,
        deadline: float | None = None,
        long_poll_timeout: float = LONG_POLL_SECONDS,
        max_body: int = MAX_BODY_BYTES,
        retries: int = 3,
        backoff: float = 0.1,
        backoff_cap: float = 4.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token or ""
        self.long_poll_timeout = long_poll_timeout
        #: Total seconds one request may take, body included (``timeout`` is per read).
        self.deadline = deadline if deadline is not None else 2 * timeout
        self.max_body = max_body
        self.retries = retries
        self.backoff = backoff
        self.backoff_cap = backoff_cap
        #: ``X-Beeper-Desktop-Version`` of the last response, if any.
        self.server_version: str | None = None
        #: Asked when Beeper Desktop refuses the token (401), before the error is raised: the
        #: TUI signs in again there, and the request goes on with the new token. A request
        #: refused while another one got a new token is sent again without asking.
        self.on_unauthorized: UnauthorizedHook | None = None
        self._http = open_http(self.base_url, token, transport, custom_headers, timeout)

    def __repr__(self) -> str:
        return f"BeeperClient(base_url={self.base_url!r}, token={'***' if self._token else None})"

    async def __aenter__(self) -> BeeperClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def has_token(self) -> bool:
        """Whether requests carry a token at all (none given is not the same as refused)."""
        return bool(self._token)

    def set_token(self, token: str | None) -> None:
        """Send ``token`` from the next request on (after a new sign-in)."""
        self._token = token or ""
        if token:
            self._http.headers["Authorization"] = f"Bearer {token}"
        else:
            self._http.headers.pop("Authorization", None)

    # --- Endpoints -------------------------------------------------------------------------

    async def info(self) -> Info:
        return await self._get("/v1/info", Info)

    async def app_setup(self) -> AppSetup:
        """Whether Beeper Desktop is signed in and set up; public until it is."""
        return await self._get("/v1/app/setup", AppSetup)

    async def accounts(self) -> list[Account]:
        return await self._get("/v1/accounts", list[Account])

    async def bridges(self) -> list[Bridge]:
        return await self._get_items("/v1/bridges", Bridge)

    async def bridge(self, bridge_id: str) -> Bridge:
        return await self._get(f"/v1/bridges/{_segment(bridge_id)}", Bridge)

    async def login_flows(self, bridge_id: str) -> list[LoginFlow]:
        return await self._get_items(f"/v1/bridges/{_segment(bridge_id)}/login-flows", LoginFlow)

    async def logins(self, bridge_id: str) -> list[BridgeLogin]:
        return await self._get_items(f"/v1/bridges/{_segment(bridge_id)}/logins", BridgeLogin)

    async def login(self, bridge_id: str, login_id: str) -> BridgeLogin:
        path = f"/v1/bridges/{_segment(bridge_id)}/logins/{_segment(login_id)}"
        return await self._get(path, BridgeLogin)

    async def remove_login(self, bridge_id: str, login_id: str, scope: str) -> RemoveLoginResult:
        path = f"/v1/bridges/{_segment(bridge_id)}/logins/{_segment(login_id)}/remove"
        return await self._send("POST", path, RemoveLoginResult, body={"scope": scope})

    async def create_login_session(
        self,
        bridge_id: str,
        *,
        flow_id: str | None = None,
        login_id: str | None = None,
        account_id: str | None = None,
    ) -> LoginSession:
        """Start a login session: a new account, or a reconnect when login_id/account_id given."""
        body = {
            key: value
            for key, value in (
                ("flowID", flow_id),
                ("loginID", login_id),
                ("accountID", account_id),
            )
            if value
        }
        path = f"/v1/bridges/{_segment(bridge_id)}/login-sessions"
        return await self._send("POST", path, models.LoginSession, body=body)

    async def login_session(self, bridge_id: str, session_id: str) -> LoginSession:
        return await self._get(self._session_path(bridge_id, session_id), models.LoginSession)

    async def cancel_login_session(
        self, bridge_id: str, session_id: str
    ) -> CancelLoginSessionResult:
        path = self._session_path(bridge_id, session_id)
        return await self._send("DELETE", path, CancelLoginSessionResult)

    async def submit_step(
        self,
        bridge_id: str,
        session_id: str,
        step_id: str,
        *,
        type: str,
        fields: Mapping[str, str] | None = None,
        last_url: str | None = None,
        source: str | None = None,
    ) -> LoginSession:
        """Submit the current step. A ``display_and_wait`` submit is a long-poll that returns
        when something happens; on the read timeout it is re-submitted."""
        body: dict[str, Any] = {"type": type}
        if fields is not None:
            body["fields"] = dict(fields)
        if last_url:
            body["lastURL"] = last_url
        if source:
            body["source"] = source
        path = f"{self._session_path(bridge_id, session_id)}/steps/{_segment(step_id)}"
        if type != "display_and_wait":
            return await self._send("POST", path, models.LoginSession, body=body)
        resubmitted = False
        while True:
            try:
                return await self._send(
                    "POST", path, models.LoginSession, body=body, long_poll=True
                )
            except _LongPollTimedOut:
                resubmitted = True
            except errors.Conflict:
                if not resubmitted:
                    raise
                # The step moved on between two waits (e.g. the login completed just after a
                # read timeout): the session itself says where it is now.
                return await self.login_session(bridge_id, session_id)

    # --- Plumbing ----------------------------------------------------------------------------

    @staticmethod
    def _session_path(bridge_id: str, session_id: str) -> str:
        return f"/v1/bridges/{_segment(bridge_id)}/login-sessions/{_segment(session_id)}"

    async def _get(self, path: str, shape: type[T]) -> T:
        return self._parse(shape, await self._request("GET", path, retry=True), f"GET {path}")

    async def _get_items(self, path: str, item: type[M]) -> list[M]:
        shape = cast("type[_ItemsOf[M]]", _ItemsOf[item])  # type: ignore[valid-type]
        return (await self._get(path, shape)).items

    async def _send(
        self,
        method: str,
        path: str,
        shape: type[M],
        *,
        body: dict[str, Any] | None = None,
        long_poll: bool = False,
    ) -> M:
        content = await self._request(method, path, body=body, long_poll=long_poll)
        return self._parse(shape, content, f"{method} {path}")

    def _parse(self, shape: type[T], content: bytes, endpoint: str) -> T:
        """An answer's body as ``shape``. It is read straight from the bytes (no dicts in
        between, equal strings stored once: less memory for a long list of accounts); JSON
        that pydantic's parser refuses but Python's accepts (an escaped lone surrogate, a
        UTF-16 body) takes the long way, so what was accepted before still is."""
        adapter = _adapter(shape)
        try:
            try:
                return adapter.validate_json(content)
            except ValidationError as exc:
                if exc.errors()[0]["type"] != "json_invalid":
                    raise
            try:
                data = json.loads(content)
            except (ValueError, RecursionError):
                raise errors.ProtocolError(
                    f"Beeper Desktop sent malformed JSON for {endpoint}.", endpoint=endpoint
                ) from None
            return adapter.validate_python(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "the response"
            raise errors.ProtocolError(
                self._redact(
                    f"Unexpected response from {endpoint}: {where}: {first['msg']}"
                    + (f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else "")
                ),
                endpoint=endpoint,
            ) from None

    async def _request(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        retry: bool = False,
        long_poll: bool = False,
    ) -> bytes:
        endpoint = f"{method} {path}"
        attempt = 0
        signed_in_again = False
        while True:
            attempt += 1
            can_retry = retry and attempt <= self.retries
            sent_with = self._token
            try:
                response, content = await self._exchange(method, path, body, long_poll)
            except (httpx.TimeoutException, TimeoutError):
                # TimeoutError: the total deadline (asyncio.timeout) ran out.
                if long_poll:
                    raise _LongPollTimedOut from None
                raise errors.TimedOut(
                    f"Beeper Desktop is answering too slowly: {endpoint} did not finish in time.",
                    endpoint=endpoint,
                ) from None
            except httpx.ConnectError as exc:
                tls_problem = tls.tls_problem(exc)
                if tls_problem is not None:
                    raise errors.TLSFailed(
                        f"Can't set up https with {self.base_url}: {tls_problem}.",
                        endpoint=endpoint,
                    ) from None
                if can_retry:
                    await asyncio.sleep(self._backoff(attempt))
                    continue
                raise errors.Unreachable(
                    f"Can't reach Beeper Desktop at {self.base_url}.", endpoint=endpoint
                ) from None
            except httpx.LocalProtocolError:
                # A header HTTP cannot carry (a space in a name, a newline in a value). Its value
                # is never quoted: it may be a secret.
                raise errors.RequestNotSent(endpoint=endpoint) from None
            except httpx.UnsupportedProtocol:
                raise errors.Unreachable(
                    f"{self.base_url} is not an http:// or https:// address.",
                    hint="Set BEEPER_BASE_URL (or --base-url) to e.g. http://127.0.0.1:23373.",
                    endpoint=endpoint,
                ) from None
            except httpx.TransportError as exc:
                raise errors.ConnectionDropped(
                    f"The connection to Beeper Desktop dropped during {endpoint}.",
                    endpoint=endpoint,
                ) from exc.__cause__
            self.server_version = response.headers.get("X-Beeper-Desktop-Version") or (
                self.server_version
            )
            if response.is_success:
                return content  # parsed by _parse, into the shape asked for
            retry_after = answers.retry_after_of(response)
            if can_retry and response.status_code in (429, 502, 503):
                delay = retry_after if retry_after is not None else self._backoff(attempt)
                await asyncio.sleep(min(delay, self.backoff_cap * 4))
                continue
            error = answers.error_for(response, content, endpoint, retry_after, self._redact)
            if isinstance(error, errors.Unauthorized) and not signed_in_again:  # noqa: SIM102
                if self._token != sent_with or await self._sign_in_again(error):
                    signed_in_again = True
                    continue
            raise errors.name_the_version(error, self.server_version)

    async def _sign_in_again(self, error: errors.Unauthorized) -> bool:
        """Ask :attr:`on_unauthorized` for a new token; whether there is one to retry with."""
        if self.on_unauthorized is None:
            return False
        token = await self.on_unauthorized(error)
        if not token:
            return False
        self.set_token(token)
        return True

    async def _exchange(
        self, method: str, path: str, body: dict[str, Any] | None, long_poll: bool
    ) -> tuple[httpx.Response, bytes]:
        """Send one request and read its whole body, within the request's total deadline
        (a long-poll's is longer) and never past ``max_body`` bytes."""
        headers: dict[str, str] | None = None
        content: bytes | None = None
        if body is not None:
            # ensure_ascii: a lone surrogate the server once sent (in an ID) goes back as a
            # JSON escape, never a UnicodeEncodeError.
            content = json.dumps(body, separators=(",", ":")).encode("ascii")
            headers = {"Content-Type": "application/json"}
        timeout = self._http.timeout
        limit = self.deadline
        if long_poll:
            timeout = httpx.Timeout(timeout.connect, read=self.long_poll_timeout)
            limit = self.long_poll_timeout + 1
        # asyncio.timeout bounds the whole exchange: httpx's timeouts are per read, so a body
        # dripped a byte at a time would otherwise never end (and in-process transports
        # ignore them).
        try:
            request = self._http.build_request(
                method, path, content=content, headers=headers, timeout=timeout
            )
        except (UnicodeError, httpx.InvalidURL):
            # A header that is not Latin-1 (never quoted: it may be a secret).
            raise errors.RequestNotSent(endpoint=f"{method} {path}") from None
        async with asyncio.timeout(limit):
            response = await self._http.send(request, stream=True)
            try:
                data = await answers.read_body(response, f"{method} {path}", self.max_body)
            finally:
                await response.aclose()
        return response, data

    def _backoff(self, attempt: int) -> float:
        return float(min(self.backoff * 2 ** (attempt - 1), self.backoff_cap))

    def _redact(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text
