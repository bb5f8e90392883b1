"""The loopback redirect target: ``http://127.0.0.1:<random port>/callback``, a tiny HTTP server.

The browser is sent here with ``?code=…&state=…`` (or ``?error=…``) after the person approves
or declines in Beeper Desktop. :class:`CallbackListener` answers with a short page saying the
tab can be closed and hands the query to whoever awaits :meth:`CallbackListener.arrival`. It
serves nothing else (404), reads at most a few kilobytes per request, and only listens on
127.0.0.1, so nothing off this computer can reach it.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import parse_qsl, urlsplit

CALLBACK_PATH = "/callback"
_MAX_REQUEST = 16 * 1024
_READ_SECONDS = 5.0

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>beeper-tui</title>
<style>body{{font:16px system-ui,sans-serif;margin:4em auto;max-width:32em;color:#222}}</style>
</head><body><h1>{title}</h1><p>{body}</p></body></html>
"""
_DONE = _PAGE.format(
    title="beeper-tui received the answer",
    body="You can close this tab and go back to the terminal.",
)
_DECLINED = _PAGE.format(
    title="Sign-in declined",
    body="beeper-tui was not given access. You can close this tab.",
)


def query_of(address: str) -> dict[str, str]:
    """The query parameters of an address (first value of each)."""
    params: dict[str, str] = {}
    for key, value in parse_qsl(urlsplit(address).query, keep_blank_values=True):
        params.setdefault(key, value)
    return params


class CallbackListener:
    """Listens on 127.0.0.1 for the one redirect that ends the authorization."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self._server: asyncio.Server | None = None
        self._arrived: asyncio.Future[dict[str, str]] | None = None

    async def start(self) -> str:
        """Start listening on a free port; the redirect URI to register."""
        self._arrived = asyncio.get_running_loop().create_future()
        self._server = await asyncio.start_server(self._handle, self.host, 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://{self.host}:{port}{CALLBACK_PATH}"

    def arrival(self) -> asyncio.Future[dict[str, str]]:
        """Resolves with the callback's query parameters."""
        if self._arrived is None:
            raise RuntimeError("start() the listener first")
        return self._arrived

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 1.0)
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), _READ_SECONDS)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            writer.close()
            return
        except ConnectionError:
            return
        status, page = self._answer(head[:_MAX_REQUEST])
        body = page.encode("utf-8")
        writer.write(
            f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nCache-Control: no-store\r\n"
            "Connection: close\r\n\r\n".encode("ascii")
            + body
        )
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        writer.close()

    def _answer(self, head: bytes) -> tuple[str, str]:
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        method, _, rest = request_line.partition(" ")
        target = rest.rpartition(" ")[0] or rest
        if method != "GET" or urlsplit(target).path != CALLBACK_PATH:
            return "404 Not Found", _PAGE.format(title="Not found", body="Nothing here.")
        params = query_of(target)
        if "code" not in params and "error" not in params:
            return "400 Bad Request", _PAGE.format(title="Not an answer", body="Nothing here.")
        arrived = self._arrived
        if arrived is not None and not arrived.done():
            arrived.set_result(params)
        if "error" in params:
            return "200 OK", _DECLINED
        return "200 OK", _DONE
