"""Sign in to Beeper Desktop with OAuth 2.0 Authorization Code + PKCE (S256), headless.

The person approves beeper-tui inside Beeper Desktop; nothing is copied or pasted. Used by
``beeper-tui auth login`` and by the TUI's sign-in screen::

    from beeper_tui.auth import OAuthSignIn, SignInError, PastedAddressInvalid

    async with OAuthSignIn(base_url, open_browser=True, timeout=300) as sign_in:
        url = await sign_in.start()      # register, listen on 127.0.0.1, open the browser
        show(url)                        # also offer to copy it: the browser may not open
        sign_in.browser_opened           # None until known, then whether it opened
        try:
            issued = await sign_in.wait()  # the callback, a paste, cancel() or the timeout
        except SignInError as exc:
            say(str(exc))                # one sentence; exc.exit_code is 1 or 2
    # keep it (0600, atomically; ConfigError if the file is broken or the folder unwritable):
    beeper_tui.config.save_token(
        issued.access_token, kind="oauth", server=issued.server,
        client_id=issued.client_id, expires_at=issued.expires_at,
    )

Over SSH the browser cannot reach this computer's callback: the person pastes the address the
browser ended on, and ``await sign_in.complete_from_pasted(text)`` finishes the same sign-in
(``wait()``, if awaited elsewhere, returns the same token). A paste that is not such an address
raises :class:`PastedAddressInvalid` and the sign-in goes on waiting. ``await sign_in.cancel()``
makes ``wait()`` raise :class:`SignInCancelled`; ``aclose()`` (or leaving ``async with``) stops
the listener. Each failure is its own class (``errors.py``); nothing is kept on failure.

Steps (``../shared/reference/API-NOTES.md``): endpoints from ``GET /v1/info`` (defaults
``/oauth/*``); ``POST /oauth/register`` a public client (``client_name`` "beeper-tui", the
loopback redirect URI, ``token_endpoint_auth_method`` none, scope "read write"); the authorize
URL with ``state`` and the S256 challenge; the callback checked for ``state``; the code
exchanged form-encoded at ``POST /oauth/token`` with the verifier.

:func:`introspect` (``POST /oauth/introspect``) and :func:`revoke` (``POST /oauth/revoke``)
are for ``auth status`` and ``auth logout``. No textual import.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import webbrowser
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from beeper_tui.api.client import open_http
from beeper_tui.auth import errors, pkce
from beeper_tui.auth.callback import CallbackListener, query_of
from beeper_tui.text import one_line

DEFAULT_TIMEOUT = 300.0
CLIENT_NAME = "beeper-tui"
SCOPE = "read write"
#: What a cancelled sign-in says, however it was cancelled.
CANCELLED = "Sign-in cancelled; nothing was saved."
_DEFAULT_PATHS = {
    "authorization_endpoint": "/oauth/authorize",
    "token_endpoint": "/oauth/token",
    "registration_endpoint": "/oauth/register",
    "introspection_endpoint": "/oauth/introspect",
    "revocation_endpoint": "/oauth/revoke",
}


@dataclass(frozen=True)
class IssuedToken:
    """A token Beeper Desktop issued to beeper-tui. The token never shows in ``repr``."""

    access_token: str = field(repr=False)
    expires_at: datetime | None
    """When it stops working (UTC), or None when the server did not say."""
    client_id: str
    scope: str
    server: str
    """The base URL it was issued by (and may be sent to)."""


@dataclass(frozen=True)
class TokenStatus:
    """What ``POST /oauth/introspect`` said about a token."""

    active: bool
    expires_at: datetime | None = None
    scope: str | None = None
    client_id: str | None = None


def _http(
    base_url: str,
    transport: httpx.AsyncBaseTransport | None,
    custom_headers: Mapping[str, str] | None,
    timeout: float,
) -> httpx.AsyncClient:
    """A client for the OAuth endpoints, built as the API client's is (no token: the sign-in
    is how one is got, and introspect and revoke send theirs in the form)."""
    return open_http(base_url.rstrip("/"), None, transport, custom_headers, timeout)


async def _send(
    http: httpx.AsyncClient, base_url: str, method: str, path: str, **content: Any
) -> httpx.Response:
    """``method path`` on Beeper Desktop at ``base_url``, whatever the answer; raises
    :class:`ServerUnreachable` (in words: not reachable, or too slow) when there is none."""
    try:
        return await http.request(method, path, **content)
    except httpx.HTTPError as exc:
        slow = isinstance(exc, httpx.TimeoutException)
        kind = "answering too slowly" if slow else "not reachable"
        raise errors.ServerUnreachable(
            f"Beeper Desktop at {base_url} is {kind} ({type(exc).__name__})."
        ) from None


def _server_says(response: httpx.Response) -> str:
    """The reason in an OAuth (``error_description``/``error``) or API (``message``) error."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ("error_description", "message", "error"):
            if isinstance(body.get(key), str) and body[key]:
                return one_line(body[key], 160)
    return f"HTTP {response.status_code}"


def _json_object(response: httpx.Response, ok: tuple[int, ...] = (200,)) -> dict[str, Any] | None:
    """The JSON object an answer with an ``ok`` status carries; None for any other."""
    if response.status_code not in ok:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _expiry(seconds: object) -> datetime | None:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds <= 0:
        return None
    return datetime.now(UTC) + timedelta(seconds=float(seconds))


def _usable_token(value: object) -> bool:
    """Visible ASCII only: anything else cannot travel in an ``Authorization`` header."""
    return isinstance(value, str) and bool(value) and all(33 <= ord(c) <= 126 for c in value)


def _path_of(advertised: object, fallback: str) -> str:
    """The path of an advertised endpoint, joined later to the base URL we can reach (Beeper
    Desktop may advertise ``localhost`` while we talk to ``127.0.0.1``)."""
    if isinstance(advertised, str) and advertised:
        path = urlsplit(advertised).path
        if path.startswith("/"):
            return path
    return fallback


class OAuthSignIn:
    """One sign-in attempt; see the module docstring for the order of calls."""

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        custom_headers: Mapping[str, str] | None = None,
        open_browser: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
        request_timeout: float = 10.0,
        client_name: str = CLIENT_NAME,
        scope: str = SCOPE,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.open_browser = open_browser
        self.timeout = timeout
        self.client_name = client_name
        self.scope = scope
        #: None until the browser was asked (or never, with ``open_browser=False``), then
        #: whether :mod:`webbrowser` reported it opened.
        self.browser_opened: bool | None = None
        self.authorize_url: str | None = None
        self.client_id: str | None = None
        self.redirect_uri: str | None = None
        self._http = _http(self.base_url, transport, custom_headers, request_timeout)
        self._listener = CallbackListener()
        self._verifier = pkce.new_verifier()
        self._state = pkce.new_state()
        self._paths = dict(_DEFAULT_PATHS)
        self._deadline: float | None = None
        self._outcome: asyncio.Task[IssuedToken] | None = None
        self._cancelled = False

    async def __aenter__(self) -> OAuthSignIn:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # --- The public steps --------------------------------------------------------------------

    async def start(self) -> str:
        """Register, listen, build the authorize URL and open it (unless ``open_browser`` is
        False); returns the URL. Raises :class:`ServerUnreachable` or
        :class:`RegistrationRefused`."""
        await self._discover()
        self.redirect_uri = await self._listener.start()
        try:
            self.client_id = await self._register(self.redirect_uri)
        except BaseException:
            await self._listener.close()
            raise
        query = {
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "response_type": "code",
            "scope": self.scope,
            "state": self._state,
            "code_challenge": pkce.challenge_of(self._verifier),
            "code_challenge_method": "S256",
        }
        authorize = self.base_url + self._paths["authorization_endpoint"]
        self.authorize_url = f"{authorize}?{urlencode(query)}"
        loop = asyncio.get_running_loop()
        self._deadline = loop.time() + self.timeout
        if self.open_browser:
            self._open_browser(self.authorize_url, loop)
        return self.authorize_url

    async def wait(self) -> IssuedToken:
        """The token, once the person approved and the code was exchanged. Raises one of the
        :mod:`beeper_tui.auth.errors` classes otherwise. Safe to await from several places."""
        if self.authorize_url is None:
            raise RuntimeError("start() the sign-in first")
        if self._outcome is None:
            if self._cancelled:
                raise errors.SignInCancelled(CANCELLED)
            self._outcome = asyncio.ensure_future(self._finish())
        return await asyncio.shield(self._outcome)

    async def complete_from_pasted(self, text: str) -> IssuedToken:
        """Finish from the address the browser was sent back to (pasted by the person)."""
        if self.authorize_url is None:
            raise RuntimeError("start() the sign-in first")
        params = self._pasted_params(text)
        arrival = self._listener.arrival()
        if not arrival.done():
            arrival.set_result(params)
        return await self.wait()

    async def cancel(self) -> None:
        """Stop waiting: ``wait()`` raises :class:`SignInCancelled`. Nothing is saved."""
        self._cancelled = True
        if self._outcome is not None and not self._outcome.done():
            arrival = self._listener.arrival()
            if not arrival.done():  # still waiting: the wait ends with the reason
                arrival.set_exception(errors.SignInCancelled(CANCELLED))
            else:  # exchanging the code: stop that
                self._outcome.cancel()
        await self._listener.close()

    async def aclose(self) -> None:
        if self._outcome is not None and not self._outcome.done():
            await self.cancel()
        await self._listener.close()
        await self._http.aclose()

    # --- Steps behind them --------------------------------------------------------------------

    async def _discover(self) -> None:
        response = await _send(self._http, self.base_url, "GET", "/v1/info")
        info = _json_object(response)
        if info is None:
            raise errors.ServerUnreachable(
                f"{self.base_url} did not answer like Beeper Desktop "
                f"(GET /v1/info: {_server_says(response)})."
            )
        endpoints = info.get("endpoints")
        oauth = endpoints.get("oauth") if isinstance(endpoints, dict) else None
        if isinstance(oauth, dict):
            for key, fallback in _DEFAULT_PATHS.items():
                self._paths[key] = _path_of(oauth.get(key), fallback)

    async def _register(self, redirect_uri: str) -> str:
        body = {
            "client_name": self.client_name,
            "redirect_uris": [redirect_uri],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "scope": self.scope,
            "token_endpoint_auth_method": "none",
        }
        path = self._paths["registration_endpoint"]
        response = await _send(self._http, self.base_url, "POST", path, json=body)
        answer = _json_object(response, ok=(200, 201))
        client_id = answer.get("client_id") if answer else None
        if not isinstance(client_id, str):
            raise errors.RegistrationRefused(
                f"Beeper Desktop did not register beeper-tui: {_server_says(response)}."
            )
        return client_id

    def _open_browser(self, url: str, loop: asyncio.AbstractEventLoop) -> None:
        """Ask :mod:`webbrowser` (which honours ``$BROWSER``) in a daemon thread: some
        browsers keep the call until they exit, and the callback must be served meanwhile."""

        def opened(result: bool) -> None:
            self.browser_opened = result

        def run() -> None:
            try:
                result = bool(webbrowser.open(url))
            except Exception:
                result = False
            with contextlib.suppress(RuntimeError):  # the loop may be gone by then
                loop.call_soon_threadsafe(opened, result)

        threading.Thread(target=run, name="beeper-tui-browser", daemon=True).start()

    def _pasted_params(self, text: str) -> dict[str, str]:
        address = text.strip()
        if "://" not in address and "=" in address:
            address = "http://127.0.0.1/callback?" + address.lstrip("?")
        params = query_of(address)
        if "code" not in params and "error" not in params:
            raise errors.PastedAddressInvalid(
                "That is not the address the browser was sent back to: it starts with "
                f"{self.redirect_uri} and has code= in it."
            )
        return params

    async def _finish(self) -> IssuedToken:
        try:
            params = await self._arrival()
            code = self._check(params)
            return await self._exchange(code)
        except asyncio.CancelledError:
            if self._cancelled:
                raise errors.SignInCancelled(CANCELLED) from None
            raise
        finally:
            await self._listener.close()

    async def _arrival(self) -> dict[str, str]:
        loop = asyncio.get_running_loop()
        remaining = max(0.0, (self._deadline or loop.time()) - loop.time())
        try:
            return await asyncio.wait_for(asyncio.shield(self._listener.arrival()), remaining)
        except TimeoutError:
            minutes = self.timeout / 60
            span = f"{minutes:g} minutes" if minutes >= 1 else f"{self.timeout:g} seconds"
            raise errors.SignInTimedOut(
                f"No answer from Beeper Desktop within {span}; nothing was saved. "
                "Run the sign-in again and approve it in Beeper Desktop."
            ) from None

    def _check(self, params: dict[str, str]) -> str:
        if params.get("state") != self._state:
            raise errors.StateMismatch(
                "The answer does not belong to this sign-in (its state does not match), so it "
                "was ignored; nothing was saved. Start the sign-in again."
            )
        error = params.get("error")
        if error == "access_denied":
            raise errors.SignInDenied("Access was declined in Beeper Desktop; nothing was saved.")
        if error is not None:
            detail = params.get("error_description") or error
            raise errors.AuthorizationFailed(
                f"Beeper Desktop did not authorize beeper-tui: {one_line(detail, 160)}."
            )
        code = params.get("code")
        if not code:
            raise errors.AuthorizationFailed("Beeper Desktop sent the browser back without a code.")
        return code

    async def _exchange(self, code: str) -> IssuedToken:
        assert self.client_id is not None and self.redirect_uri is not None
        form = {
            "grant_type": "authorization_code",
            "client_id": self.client_id,
            "code": code,
            "code_verifier": self._verifier,
            "redirect_uri": self.redirect_uri,
        }
        path = self._paths["token_endpoint"]
        response = await _send(self._http, self.base_url, "POST", path, data=form)
        answer = _json_object(response)
        if answer is None:
            raise errors.ExchangeRefused(
                f"Beeper Desktop refused to issue a token: {_server_says(response)}; "
                "nothing was saved."
            )
        token = answer.get("access_token")
        token_type = answer.get("token_type", "Bearer")
        if not _usable_token(token) or str(token_type).lower() != "bearer":
            raise errors.ExchangeRefused("Beeper Desktop answered without a usable bearer token.")
        assert isinstance(token, str)
        scope = answer.get("scope")
        return IssuedToken(
            access_token=token,
            expires_at=_expiry(answer.get("expires_in")),
            client_id=self.client_id,
            scope=scope if isinstance(scope, str) else self.scope,
            server=self.base_url,
        )


# --- Introspect and revoke ------------------------------------------------------------------


async def introspect(
    base_url: str,
    token: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    custom_headers: Mapping[str, str] | None = None,
    timeout: float = 5.0,
    path: str = _DEFAULT_PATHS["introspection_endpoint"],
) -> TokenStatus | None:
    """``POST /oauth/introspect``: whether ``token`` is active, and until when. None when the
    server offers no introspection (so ask a real endpoint instead); raises
    :class:`ServerUnreachable` when it cannot be asked."""
    async with _http(base_url, transport, custom_headers, timeout) as http:
        response = await _send(http, base_url, "POST", path, data={"token": token})
    answer = _json_object(response)
    if answer is None or not isinstance(answer.get("active"), bool):
        return None
    expires = answer.get("exp")
    expires_at = None
    if isinstance(expires, int | float) and not isinstance(expires, bool) and expires > 0:
        with contextlib.suppress(OverflowError, OSError, ValueError):
            expires_at = datetime.fromtimestamp(expires, UTC)
    scope, client_id = answer.get("scope"), answer.get("client_id")
    return TokenStatus(
        active=answer["active"],
        expires_at=expires_at,
        scope=scope if isinstance(scope, str) else None,
        client_id=client_id if isinstance(client_id, str) else None,
    )


async def revoke(
    base_url: str,
    token: str,
    *,
    client_id: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    custom_headers: Mapping[str, str] | None = None,
    timeout: float = 5.0,
    path: str = _DEFAULT_PATHS["revocation_endpoint"],
) -> None:
    """``POST /oauth/revoke``: the token stops working. Raises :class:`ServerUnreachable`, or
    :class:`SignInError` when the server refuses."""
    form = {"token": token, "token_type_hint": "access_token"}
    if client_id:
        form["client_id"] = client_id
    async with _http(base_url, transport, custom_headers, timeout) as http:
        response = await _send(http, base_url, "POST", path, data=form)
    if not 200 <= response.status_code < 300:
        raise errors.SignInError(
            f"Beeper Desktop did not revoke the token: {_server_says(response)}."
        )
