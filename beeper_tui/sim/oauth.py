"""The simulator's OAuth 2.0 authorization server: Authorization Code with PKCE (S256).

What Beeper Desktop offers third-party apps so that no token needs pasting, played in memory:

  GET  /.well-known/oauth-authorization-server   metadata (RFC 8414)
  POST /oauth/register    JSON {client_name, redirect_uris, ...}       → 201 {client_id, ...}
  GET  /oauth/authorize   ?client_id&redirect_uri&response_type=code&scope&state
                          &code_challenge&code_challenge_method=S256   → 302 to redirect_uri
  POST /oauth/token       form {grant_type, client_id, code, code_verifier, redirect_uri}
                          → {access_token, token_type, expires_in, scope}
  POST /oauth/introspect  form {token}                                 → {active, exp?, ...}
  POST /oauth/revoke      form {token}                                 → 200 (always, RFC 7009)

``/oauth/authorize`` approves by itself (the person "pressed Approve" in Beeper Desktop) unless
``OAuthServer.manual``; then the browser's request waits until ``POST /_sim/approve`` or
``POST /_sim/deny`` (simulator control, same token as ``/_sim``). PKCE is verified, codes are
single use (any attempt to redeem one spends it), short-lived and bound to their client and
redirect URI; issued tokens are accepted by ``/v1`` until revoked or past ``token_lifetime``
seconds, which tests shorten. Errors are the OAuth shape ``{error, error_description}``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

SCOPES = ("read", "write")
CODE_LIFETIME = 120.0


@dataclass
class Client:
    client_id: str
    name: str
    redirect_uris: tuple[str, ...]
    scope: str


@dataclass
class Code:
    client_id: str
    redirect_uri: str
    challenge: str
    scope: str
    expires: float


@dataclass
class IssuedToken:
    client_id: str
    scope: str
    expires: float
    """On the server's clock (``OAuthServer.clock``)."""
    expires_at: int
    """Unix time, as introspection reports it."""


@dataclass
class PendingApproval:
    """An authorize request waiting for ``/_sim/approve`` or ``/_sim/deny`` (manual mode)."""

    client_name: str
    decided: asyncio.Event
    loop: asyncio.AbstractEventLoop
    approved: bool = False


@dataclass
class OAuthServer:
    """OAuth state of one simulated Beeper Desktop; thread-safe like the rest of the world."""

    manual: bool = False
    token_lifetime: float = 7 * 24 * 3600.0
    clock: Callable[[], float] = time.monotonic
    clients: dict[str, Client] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)
    tokens: dict[str, IssuedToken] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)
    pending: list[PendingApproval] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lock = threading.RLock()

    def accepts(self, token: str) -> bool:
        """Whether ``token`` is an issued OAuth token that is neither revoked nor expired."""
        with self.lock:
            issued = self.tokens.get(token)
            return issued is not None and issued.expires > self.clock()

    def issue(self, client_id: str, scope: str) -> tuple[str, IssuedToken]:
        with self.lock:
            token = "bto_" + secrets.token_urlsafe(24)
            issued = IssuedToken(
                client_id,
                scope,
                self.clock() + self.token_lifetime,
                int(time.time() + self.token_lifetime),
            )
            self.tokens[token] = issued
            return token, issued

    def revoke(self, token: str) -> None:
        with self.lock:
            if self.tokens.pop(token, None) is not None:
                self.revoked.add(token)

    def expire_all(self) -> None:
        """Every issued token is past its expiry from now on (for tests)."""
        with self.lock:
            for issued in self.tokens.values():
                issued.expires = self.clock() - 1

    def decide(self, approved: bool) -> int:
        """Approve or deny every waiting authorize request; how many there were."""
        with self.lock:
            waiting, self.pending = self.pending, []
        for item in waiting:
            item.approved = approved
            item.loop.call_soon_threadsafe(item.decided.set)
        return len(waiting)


class World(Protocol):
    """What the OAuth routes need of the world they serve (``world.World`` is one): its
    OAuth state, and the fixed token that is always active."""

    token: str
    oauth: OAuthServer


def challenge_of(verifier: str) -> str:
    """The S256 code challenge of ``verifier`` (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _oauth(request: Request) -> OAuthServer:
    world: World = request.app.state.world
    return world.oauth


def _base(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


async def form_fields(request: Request) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body (parsed here: Starlette's form parser
    needs python-multipart, which the simulator does not depend on)."""
    raw = await request.body()
    return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))


def oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def _page(title: str, status: int = 400) -> HTMLResponse:
    return HTMLResponse(f"<!doctype html><title>{title}</title><p>{title}</p>", status_code=status)


async def metadata(request: Request) -> JSONResponse:
    base = _base(request)
    return JSONResponse(
        {
            "issuer": base,
            "authorization_endpoint": f"{base}/oauth/authorize",
            "token_endpoint": f"{base}/oauth/token",
            "registration_endpoint": f"{base}/oauth/register",
            "introspection_endpoint": f"{base}/oauth/introspect",
            "revocation_endpoint": f"{base}/oauth/revoke",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["none"],
            "scopes_supported": list(SCOPES),
        }
    )


def _is_loopback_callback(uri: Any) -> bool:
    if not isinstance(uri, str):
        return False
    parts = urlsplit(uri)
    return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")


async def register(request: Request) -> Response:
    try:
        body = await request.json()
    except ValueError:
        return oauth_error("invalid_client_metadata", "The body is not JSON")
    if not isinstance(body, dict):
        return oauth_error("invalid_client_metadata", "The body must be a JSON object")
    uris = body.get("redirect_uris")
    if not isinstance(uris, list) or not uris or not all(map(_is_loopback_callback, uris)):
        return oauth_error("invalid_redirect_uri", "redirect_uris must be loopback http URLs")
    if body.get("token_endpoint_auth_method", "none") != "none":
        return oauth_error("invalid_client_metadata", "Only public clients are supported")
    scope = body.get("scope", "read write")
    if not isinstance(scope, str) or not set(scope.split()) <= set(SCOPES):
        return oauth_error("invalid_client_metadata", "scope must be made of read and write")
    name = body.get("client_name")
    client = Client("cl_" + secrets.token_urlsafe(12), str(name or "app"), tuple(uris), scope)
    server = _oauth(request)
    with server.lock:
        server.clients[client.client_id] = client
    return JSONResponse(
        {
            "client_id": client.client_id,
            "client_id_issued_at": int(time.time()),
            "client_name": client.name,
            "redirect_uris": list(client.redirect_uris),
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "none",
            "scope": client.scope,
        },
        status_code=201,
    )


def _redirect(uri: str, **params: str) -> RedirectResponse:
    separator = "&" if "?" in uri else "?"
    return RedirectResponse(uri + separator + urlencode(params), status_code=302)


async def authorize(request: Request) -> Response:
    server = _oauth(request)
    query = request.query_params
    client = server.clients.get(query.get("client_id", ""))
    redirect_uri = query.get("redirect_uri", "")
    # Without a known client and one of its redirect URIs there is nowhere safe to send the
    # browser back to: answer here (RFC 6749 §4.1.2.1).
    if client is None:
        return _page("Unknown client_id", 400)
    if redirect_uri not in client.redirect_uris:
        return _page("redirect_uri is not registered for this client", 400)
    state = query.get("state", "")
    back = {"state": state} if state else {}
    if query.get("response_type") != "code":
        return _redirect(redirect_uri, error="unsupported_response_type", **back)
    challenge = query.get("code_challenge", "")
    if query.get("code_challenge_method") != "S256" or not 43 <= len(challenge) <= 128:
        return _redirect(
            redirect_uri,
            error="invalid_request",
            error_description="PKCE with code_challenge_method=S256 is required",
            **back,
        )
    scope = query.get("scope") or client.scope
    if not set(scope.split()) <= set(SCOPES):
        return _redirect(redirect_uri, error="invalid_scope", **back)
    if server.manual:
        pending = PendingApproval(client.name, asyncio.Event(), asyncio.get_running_loop())
        with server.lock:
            server.pending.append(pending)
        try:
            await pending.decided.wait()
        finally:
            with server.lock:
                if pending in server.pending:
                    server.pending.remove(pending)
        if not pending.approved:
            return _redirect(
                redirect_uri,
                error="access_denied",
                error_description="The request was declined in Beeper Desktop",
                **back,
            )
    code = secrets.token_urlsafe(24)
    with server.lock:
        server.codes[code] = Code(
            client.client_id, redirect_uri, challenge, scope, server.clock() + CODE_LIFETIME
        )
    return _redirect(redirect_uri, code=code, **back)


async def token(request: Request) -> Response:
    server = _oauth(request)
    fields = await form_fields(request)
    if fields.get("grant_type") != "authorization_code":
        return oauth_error("unsupported_grant_type", "Only authorization_code is supported")
    with server.lock:
        code = server.codes.pop(fields.get("code", ""), None)  # spent by any attempt
    if code is None or code.expires <= server.clock():
        return oauth_error("invalid_grant", "The code is unknown, used or expired")
    if fields.get("client_id") != code.client_id:
        return oauth_error("invalid_grant", "The code was issued to another client")
    if fields.get("redirect_uri") != code.redirect_uri:
        return oauth_error("invalid_grant", "redirect_uri does not match the authorization")
    verifier = fields.get("code_verifier", "")
    if not 43 <= len(verifier) <= 128 or challenge_of(verifier) != code.challenge:
        return oauth_error("invalid_grant", "PKCE verification failed")
    access, issued = server.issue(code.client_id, code.scope)
    return JSONResponse(
        {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": int(server.token_lifetime),
            "scope": issued.scope,
        },
        headers={"Cache-Control": "no-store"},
    )


async def introspect(request: Request) -> JSONResponse:
    server = _oauth(request)
    world: World = request.app.state.world
    given = (await form_fields(request)).get("token", "")
    if given and given == world.token:
        return JSONResponse({"active": True, "scope": "read write", "token_type": "Bearer"})
    with server.lock:
        issued = server.tokens.get(given)
        if issued is None or issued.expires <= server.clock():
            return JSONResponse({"active": False})
        return JSONResponse(
            {
                "active": True,
                "scope": issued.scope,
                "client_id": issued.client_id,
                "token_type": "Bearer",
                "exp": issued.expires_at,
            }
        )


async def revoke(request: Request) -> Response:
    _oauth(request).revoke((await form_fields(request)).get("token", ""))
    return Response(status_code=200)


async def sim_approve(request: Request) -> JSONResponse:
    return JSONResponse({"approved": _oauth(request).decide(True)})


async def sim_deny(request: Request) -> JSONResponse:
    return JSONResponse({"denied": _oauth(request).decide(False)})


ROUTES = [
    Route("/.well-known/oauth-authorization-server", metadata, methods=["GET"]),
    Route("/oauth/register", register, methods=["POST"]),
    Route("/oauth/authorize", authorize, methods=["GET"]),
    Route("/oauth/token", token, methods=["POST"]),
    Route("/oauth/introspect", introspect, methods=["POST"]),
    Route("/oauth/revoke", revoke, methods=["POST"]),
    Route("/_sim/approve", sim_approve, methods=["POST"]),
    Route("/_sim/deny", sim_deny, methods=["POST"]),
]
