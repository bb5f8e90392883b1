"""In-process transport: the simulator app behind ``httpx.ASGITransport``, behaving like a socket.

Two things a real connection does that ``ASGITransport`` alone does not:

- a response the server started but never finished (the "drop" fault) arrives as
  ``httpx.RemoteProtocolError``, not as a half body or an app exception;
- the request's read timeout applies: a reply slower than ``timeout.read`` raises
  ``httpx.ReadTimeout`` (so a client's long-poll re-submit logic runs in-process too).
"""

from __future__ import annotations

import asyncio

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _ResponseCutShort(Exception):
    """The app returned after starting a response without finishing it."""


class _CompleteOrRaise:
    """Wraps the app; raises :class:`_ResponseCutShort` when its response was left unfinished."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        finished = False

        async def tracking_send(message: Message) -> None:
            nonlocal finished
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                finished = True
            await send(message)

        await self.app(scope, receive, tracking_send)
        if scope["type"] == "http" and not finished:
            raise _ResponseCutShort


class SimTransport(httpx.AsyncBaseTransport):
    """``httpx.ASGITransport`` over the simulator, with socket-like failures."""

    def __init__(self, app: ASGIApp) -> None:
        self._asgi = httpx.ASGITransport(app=_CompleteOrRaise(app), client=("127.0.0.1", 50123))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts = request.extensions.get("timeout") or {}
        read_timeout = timeouts.get("read")
        try:
            async with asyncio.timeout(read_timeout):
                return await self._asgi.handle_async_request(request)
        except _ResponseCutShort:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a complete response.", request=request
            ) from None
        except TimeoutError:
            raise httpx.ReadTimeout(
                "Timed out waiting for the response.", request=request
            ) from None

    async def aclose(self) -> None:
        await self._asgi.aclose()


def sim_transport(app: ASGIApp) -> httpx.AsyncBaseTransport:
    """An httpx transport that talks to ``app`` in-process, failing like a real socket."""
    return SimTransport(app)
