"""The simulator as a Starlette app: routes that read like the OpenAPI paths.

Every response carries ``X-Beeper-Desktop-Version``. Every ``/v1`` route except
``GET /v1/info`` needs ``Authorization: Bearer <token>``. Errors are the official body
``{message, code, details?}``. The gate in front of the routes records each request in
``world.requests`` and plays the world's faults (``faults.py``).

``/_sim/*`` is the simulator's own control surface (never part of the real API), for driving
the phone side of a served simulator from outside; it needs the same token, skips faults and
is not recorded:

  POST   /_sim/scan                        {sessionID?}            → {scanned: n}
  POST   /_sim/rotate                      {sessionID?}            → {rotated: n}
  POST   /_sim/accounts/{accountID}/status {status, statusText?}   → Account
  POST   /_sim/sessions/{sessionID}/expire                         → {expired: true}
  GET    /_sim/sessions                                            → {items: [LoginSession]}
  GET    /_sim/faults    POST /_sim/faults {kind, path?, method?, times?, status?, delay?,
                         retryAfter?, chance?}    DELETE /_sim/faults
  GET    /_sim/requests                                            → {items: [[method, path]]}
  POST   /_sim/approve   POST /_sim/deny   (a waiting OAuth authorize, see ``oauth.py``)

OAuth (``oauth.py``) and ``GET /v1/app/setup`` (``setup_state.py``) register their own routes.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from beeper_tui.api.models import ACCOUNT_STATUSES, REMOVE_SCOPES
from beeper_tui.sim import oauth, setup_state
from beeper_tui.sim.errors import Issue, SimError, invalid, status_body
from beeper_tui.sim.faults import FaultRule
from beeper_tui.sim.steps import SUBMIT_TYPES
from beeper_tui.sim.world import World

VERSION_HEADER = "X-Beeper-Desktop-Version"
SOURCES = ("api", "webview", "browser_extension")
#: A body cut short: what a client receives from the "malformed" fault.
MALFORMED_BODY = '{"items": [{"id": "local-whatsapp", "displayName": "WhatsA'


def error_response(status: int, body: dict[str, Any], **headers: str) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers or None)


class DroppedResponse(Response):
    """Starts a response promising a long body, sends a little, and stops: the server then
    closes the connection (uvicorn) or ``sim_transport`` raises RemoteProtocolError."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"application/json"), (b"content-length", b"65536")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b'{"items": [', "more_body": True})


def fault_response(rule: FaultRule) -> Response:
    if rule.kind == "drop":
        return DroppedResponse()
    if rule.kind == "malformed":
        return Response(MALFORMED_BODY, media_type="application/json")
    if rule.kind == "ratelimit":
        return error_response(429, status_body(429), **{"Retry-After": f"{rule.retry_after:g}"})
    status = 401 if rule.kind == "unauthorized" else rule.status
    return error_response(status, status_body(status))


def _bearer(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, given = value.decode("latin-1").partition(" ")
            return given.strip() if scheme.lower() == "bearer" else ""
    return ""


def _authorized(scope: Scope, token: str) -> bool:
    return _bearer(scope) == token


class Gate:
    """Version header, request log, faults and bearer auth, in front of every route."""

    def __init__(self, app: ASGIApp, world: World) -> None:
        self.app = app
        self.world = world

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        version = self.world.app_version.encode()

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((VERSION_HEADER.lower().encode(), version))
                message = {**message, "headers": headers}
            await send(message)

        path, method = scope["path"], scope["method"]
        response: Response | None = None
        if path.startswith("/_sim"):
            if not _authorized(scope, self.world.token):
                response = error_response(401, status_body(401))
        else:
            self.world.requests.append((method, path))
            response = await self._fault(method, path)
            public = method == "GET" and path == "/v1/info"
            public = public or setup_state.is_public(self.world, method, path)
            guarded = path.startswith("/v1") and not public
            if response is None and guarded and not self._accepted(scope):
                response = error_response(401, status_body(401))
        if response is not None:
            await response(scope, receive, send_with_version)
        else:
            await self.app(scope, receive, send_with_version)

    def _accepted(self, scope: Scope) -> bool:
        """The world's own token, or an OAuth-issued one still valid."""
        return _authorized(scope, self.world.token) or self.world.oauth.accepts(_bearer(scope))

    async def _fault(self, method: str, path: str) -> Response | None:
        rules = self.world.faults.take(method, path)
        for rule in rules:
            if rule.delay > 0 and rule.kind in ("latency", "drop"):
                await asyncio.sleep(rule.delay)
        terminal = next((rule for rule in rules if rule.kind != "latency"), None)
        return fault_response(terminal) if terminal is not None else None


# --- Request bodies --------------------------------------------------------------------------


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        issue = Issue("invalid_json", "The request body is not valid JSON", ["body"])
        raise invalid([issue]) from None
    if not isinstance(body, dict):
        raise invalid([Issue("invalid_type", "Expected a JSON object", ["body"])])
    return body


def _optional_ids(body: dict[str, Any], *keys: str) -> list[Issue]:
    issues = []
    for key in keys:
        value = body.get(key)
        if key in body and (not isinstance(value, str) or not value):
            issues.append(Issue("too_small", f"{key} must be a non-empty string", ["body", key]))
    return issues


def _enum(body: dict[str, Any], key: str, allowed: tuple[str, ...], required: bool) -> list[Issue]:
    if key not in body:
        return [Issue("invalid_type", "Required", ["body", key])] if required else []
    if body[key] not in allowed:
        message = f"{key} must be one of: {', '.join(allowed)}"
        return [Issue("invalid_enum_value", message, ["body", key])]
    return []


def check_submit_body(body: dict[str, Any]) -> None:
    issues = _enum(body, "type", SUBMIT_TYPES, required=True)
    issues += _enum(body, "source", SOURCES, required=False)
    fields = body.get("fields", {})
    if not isinstance(fields, dict):
        issues.append(Issue("invalid_type", "fields must be an object", ["body", "fields"]))
    else:
        for key, value in fields.items():
            if not isinstance(value, str):
                issues.append(Issue("invalid_type", "Expected a string", ["body", "fields", key]))
    if "lastURL" in body and not isinstance(body["lastURL"], str):
        issues.append(Issue("invalid_type", "lastURL must be a string", ["body", "lastURL"]))
    if issues:
        raise invalid(issues)


# --- /v1 routes ------------------------------------------------------------------------------


def _world(request: Request) -> World:
    world: World = request.app.state.world
    return world


async def info(request: Request) -> JSONResponse:
    url = request.url
    base = f"{url.scheme}://{url.netloc}"
    port = url.port or (443 if url.scheme == "https" else 80)
    return JSONResponse(
        {
            "app": {
                "name": "Beeper Desktop",
                "version": _world(request).app_version,
                "bundle_id": "com.automattic.beeper.desktop",
            },
            "platform": {"os": "darwin", "arch": "arm64", "release": "24.5.0"},
            "server": {
                "status": "running",
                "base_url": base,
                "port": port,
                "hostname": url.hostname or "127.0.0.1",
                "remote_access": False,
                "mcp_enabled": True,
            },
            "endpoints": {
                "oauth": {
                    "authorization_endpoint": f"{base}/oauth/authorize",
                    "token_endpoint": f"{base}/oauth/token",
                    "introspection_endpoint": f"{base}/oauth/introspect",
                    "userinfo_endpoint": f"{base}/oauth/userinfo",
                    "revocation_endpoint": f"{base}/oauth/revoke",
                    "registration_endpoint": f"{base}/oauth/register",
                },
                "spec": f"{base}/v1/spec",
                "mcp": f"{base}/v0/mcp",
                "ws_events": base.replace("http", "ws", 1) + "/v1/ws",
            },
        }
    )


async def list_accounts(request: Request) -> JSONResponse:
    return JSONResponse(_world(request).list_accounts())


async def get_account(request: Request) -> JSONResponse:
    return JSONResponse(_world(request).get_account(request.path_params["accountID"]))


async def list_bridges(request: Request) -> JSONResponse:
    return JSONResponse({"items": _world(request).list_bridges()})


async def get_bridge(request: Request) -> JSONResponse:
    return JSONResponse(_world(request).get_bridge(request.path_params["bridgeID"]))


async def list_login_flows(request: Request) -> JSONResponse:
    return JSONResponse({"items": _world(request).login_flows(request.path_params["bridgeID"])})


async def list_logins(request: Request) -> JSONResponse:
    return JSONResponse({"items": _world(request).list_logins(request.path_params["bridgeID"])})


async def get_login(request: Request) -> JSONResponse:
    params = request.path_params
    return JSONResponse(_world(request).get_login(params["bridgeID"], params["loginID"]))


async def remove_login(request: Request) -> JSONResponse:
    body = await json_body(request)
    issues = _enum(body, "scope", REMOVE_SCOPES, required=True)
    if issues:
        raise invalid(issues)
    params = request.path_params
    world = _world(request)
    return JSONResponse(world.remove_login(params["bridgeID"], params["loginID"], body["scope"]))


async def create_login_session(request: Request) -> JSONResponse:
    body = await json_body(request)
    issues = _optional_ids(body, "flowID", "loginID", "accountID")
    if issues:
        raise invalid(issues)
    session = _world(request).create_session(
        request.path_params["bridgeID"],
        flow_id=body.get("flowID"),
        login_id=body.get("loginID"),
        account_id=body.get("accountID"),
    )
    return JSONResponse(session)


async def get_login_session(request: Request) -> JSONResponse:
    params = request.path_params
    world = _world(request)
    return JSONResponse(world.get_session(params["bridgeID"], params["loginSessionID"]))


async def cancel_login_session(request: Request) -> JSONResponse:
    params = request.path_params
    world = _world(request)
    return JSONResponse(world.cancel_session(params["bridgeID"], params["loginSessionID"]))


async def submit_step(request: Request) -> Response:
    """Apply a step; for display_and_wait, long-poll until the session changes."""
    body = await json_body(request)
    check_submit_body(body)
    world = _world(request)
    bridge_id = request.path_params["bridgeID"]
    session_id = request.path_params["loginSessionID"]
    session, version = world.submit_step(bridge_id, session_id, request.path_params["stepID"], body)
    if version is None:
        return JSONResponse(session)
    deadline = world.now() + world.long_poll_max
    with world.long_poll(session_id):
        while True:
            if world.faults.take(request.method, request.url.path, kinds=("drop",)):
                return DroppedResponse()
            changed = world.poll_session(bridge_id, session_id, version)
            if changed is not None:
                return JSONResponse(changed)
            if world.now() >= deadline or await request.is_disconnected():
                return JSONResponse(world.get_session(bridge_id, session_id))
            await asyncio.sleep(world.poll_interval)


# --- /_sim control routes --------------------------------------------------------------------


async def sim_scan(request: Request) -> JSONResponse:
    body = await json_body(request)
    return JSONResponse({"scanned": _world(request).scan(body.get("sessionID"))})


async def sim_rotate(request: Request) -> JSONResponse:
    body = await json_body(request)
    return JSONResponse({"rotated": _world(request).rotate_qr(body.get("sessionID"))})


async def sim_account_status(request: Request) -> JSONResponse:
    body = await json_body(request)
    issues = _enum(body, "status", ACCOUNT_STATUSES, required=True)
    if issues:
        raise invalid(issues)
    world = _world(request)
    account_id = request.path_params["accountID"]
    world.get_account(account_id)  # 404 when unknown
    world.set_account_status(account_id, body["status"], body.get("statusText"))
    return JSONResponse(world.get_account(account_id))


async def sim_expire(request: Request) -> JSONResponse:
    _world(request).expire_session(request.path_params["sessionID"])
    return JSONResponse({"expired": True})


async def sim_sessions(request: Request) -> JSONResponse:
    return JSONResponse({"items": _world(request).open_sessions()})


async def sim_faults(request: Request) -> JSONResponse:
    faults = _world(request).faults
    if request.method == "DELETE":
        faults.clear()
    elif request.method == "POST":
        body = await json_body(request)
        try:
            rule = faults.add(
                str(body.get("kind")),
                path=body.get("path"),
                method=body.get("method"),
                times=body.get("times", 1),
                status=int(body.get("status", 500)),
                delay=float(body.get("delay", 0.0)),
                retry_after=float(body.get("retryAfter", 1.0)),
                chance=float(body.get("chance", 1.0)),
            )
        except (ValueError, TypeError) as exc:
            raise invalid([Issue("invalid_enum_value", str(exc), ["body", "kind"])]) from None
        return JSONResponse(rule.to_wire())
    return JSONResponse({"items": [rule.to_wire() for rule in faults.rules]})


async def sim_requests(request: Request) -> JSONResponse:
    return JSONResponse({"items": [list(pair) for pair in _world(request).requests]})


# --- Errors and assembly ---------------------------------------------------------------------


async def on_sim_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SimError)
    return error_response(exc.status, exc.to_wire())


async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    body = status_body(exc.status_code)
    if exc.status_code == 404:
        body["message"] = f"No such endpoint: {request.method} {request.url.path}"
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def on_crash(request: Request, exc: Exception) -> JSONResponse:
    version = _world(request).app_version
    return error_response(500, status_body(500), **{VERSION_HEADER: version})


SESSION = "/v1/bridges/{bridgeID}/login-sessions/{loginSessionID}"
ROUTES = [
    Route("/v1/info", info, methods=["GET"]),
    Route("/v1/accounts", list_accounts, methods=["GET"]),
    Route("/v1/accounts/{accountID}", get_account, methods=["GET"]),
    Route("/v1/bridges", list_bridges, methods=["GET"]),
    Route("/v1/bridges/{bridgeID}", get_bridge, methods=["GET"]),
    Route("/v1/bridges/{bridgeID}/login-flows", list_login_flows, methods=["GET"]),
    Route("/v1/bridges/{bridgeID}/logins", list_logins, methods=["GET"]),
    Route("/v1/bridges/{bridgeID}/logins/{loginID}", get_login, methods=["GET"]),
    Route("/v1/bridges/{bridgeID}/logins/{loginID}/remove", remove_login, methods=["POST"]),
    Route("/v1/bridges/{bridgeID}/login-sessions", create_login_session, methods=["POST"]),
    Route(SESSION, get_login_session, methods=["GET"]),
    Route(SESSION, cancel_login_session, methods=["DELETE"]),
    Route(SESSION + "/steps/{stepID}", submit_step, methods=["POST"]),
    Route("/_sim/scan", sim_scan, methods=["POST"]),
    Route("/_sim/rotate", sim_rotate, methods=["POST"]),
    Route("/_sim/accounts/{accountID}/status", sim_account_status, methods=["POST"]),
    Route("/_sim/sessions/{sessionID}/expire", sim_expire, methods=["POST"]),
    Route("/_sim/sessions", sim_sessions, methods=["GET"]),
    Route("/_sim/faults", sim_faults, methods=["GET", "POST", "DELETE"]),
    Route("/_sim/requests", sim_requests, methods=["GET"]),
    *oauth.ROUTES,
    *setup_state.ROUTES,
]


def create_app(world: World) -> Starlette:
    """The simulator's ASGI app over ``world``."""
    app = Starlette(
        routes=ROUTES,
        middleware=[Middleware(Gate, world=world)],
        exception_handlers={
            SimError: on_sim_error,
            HTTPException: on_http_error,
            Exception: on_crash,
        },
    )
    app.state.world = world
    return app
