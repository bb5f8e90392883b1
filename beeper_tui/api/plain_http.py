"""Plain ``http://`` for httpx over asyncio's own streams: the client's transport when no
request can travel over TLS or a proxy (Beeper Desktop on ``http://localhost``).

httpx's default transport goes through httpcore, which under asyncio runs on anyio: its
locks, events and cancel scopes load anyio's whole asyncio backend on the first request,
30-40 ms (with httpcore itself) before the accounts can be shown. This transport speaks the
same HTTP/1.1 (its framing in :mod:`~beeper_tui.api.http11`) over the streams asyncio has:
keep-alive connections reused, httpx's per-operation timeouts (connect, read, write), and
every failure raised as the httpx exception the default transport raises for it, so the
client above cannot tell them apart. Anything that may need TLS or a proxy keeps httpx's
own transport (``api/tls.py: may_use_tls``).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

from beeper_tui.api import http11

#: Idle connections are dropped after this many seconds: under the 5 s after which Node
#: (Beeper Desktop) and uvicorn (the simulator) close them, so a reused one is never racing
#: its own close.
KEEPALIVE_SECONDS = 4.0
#: Idle connections kept per address.
MAX_IDLE = 8
READ_SIZE = 64 * 1024
#: Sent again on a fresh connection when a kept-alive one turns out closed before any answer.
_IDEMPOTENT = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})
Address = tuple[str, int]


class _Connection:
    """One TCP connection and its HTTP/1.1 state."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.answer: http11.ResponseReader | None = None
        """The answer being read, from the request's send on."""
        self.idle_since = 0.0

    def reusable(self, now: float) -> bool:
        """Idle, not expired, and not closed by the server meanwhile."""
        return (
            now - self.idle_since < KEEPALIVE_SECONDS
            and not self.reader.at_eof()
            and not self.writer.is_closing()
        )

    async def write(self, data: bytes, timeout: float | None) -> None:
        with _raised_as(httpx.WriteTimeout, httpx.WriteError):
            self.writer.write(data)
            async with asyncio.timeout(timeout):
                await self.writer.drain()

    async def next_event(self, timeout: float | None) -> http11.Head | bytes | str:
        """The next part of the answer (``http11.ResponseReader.next_event``), reading as
        much as it takes."""
        answer = self.answer
        assert answer is not None, "an answer is read after its request is sent"
        while True:
            with _raised_as(httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError):
                event = answer.next_event()
                if event is not http11.NEED_DATA:
                    return event
                async with asyncio.timeout(timeout):
                    data = await self.reader.read(READ_SIZE)
                answer.receive(data)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()


@contextlib.contextmanager
def _raised_as(
    timed_out: type[httpx.TransportError],
    failed: type[httpx.TransportError],
    protocol: type[httpx.TransportError] = httpx.LocalProtocolError,
) -> Iterator[None]:
    """asyncio's failures and what is not HTTP/1.1 as the httpx exceptions httpx's own
    transport raises."""
    try:
        yield
    except TimeoutError as exc:
        raise timed_out(str(exc) or timed_out.__name__) from exc
    except http11.RemoteProblem as exc:
        raise httpx.RemoteProtocolError(str(exc)) from exc
    except http11.LocalProblem as exc:
        raise protocol(str(exc)) from exc
    except OSError as exc:
        raise failed(str(exc) or type(exc).__name__) from exc


class _Body(httpx.AsyncByteStream):
    """A response body read off its connection; the connection goes back to the pool once
    the body was read to its end, and is closed if it was not."""

    def __init__(self, transport: PlainHTTPTransport, address: Address, conn: _Connection,
                 read_timeout: float | None) -> None:  # fmt: skip
        self._transport = transport
        self._address = address
        self._conn: _Connection | None = conn
        self._read_timeout = read_timeout

    async def __aiter__(self) -> AsyncIterator[bytes]:
        conn = self._conn
        if conn is None:
            return
        try:
            while True:
                event = await conn.next_event(self._read_timeout)
                if isinstance(event, bytes):
                    yield event
                elif event is http11.END:
                    return
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            self._transport._release(self._address, conn)


class PlainHTTPTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 over plain TCP for :class:`httpx.AsyncClient` (``transport=``)."""

    def __init__(self) -> None:
        self._idle: dict[Address, list[_Connection]] = {}
        self._closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.scheme != "http":
            raise httpx.UnsupportedProtocol(
                f"Only http:// goes over this transport, not {request.url.scheme}://",
                request=request,
            )
        timeouts = request.extensions.get("timeout", {})
        address = (request.url.host, request.url.port or 80)
        conn = self._reuse(address)
        reused = conn is not None
        try:
            if conn is None:
                conn = await self._connect(address, timeouts.get("connect"))
            try:
                response = await self._exchange(conn, address, request, timeouts)
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                conn.close()
                if not reused or request.method not in _IDEMPOTENT:
                    raise
                # A kept-alive connection the server had just closed: once more, afresh.
                conn = await self._connect(address, timeouts.get("connect"))
                response = await self._exchange(conn, address, request, timeouts)
        except BaseException:  # cancelled mid-request: the connection is in no known state
            if conn is not None:
                conn.close()
            raise
        return response

    async def _exchange(
        self,
        conn: _Connection,
        address: Address,
        request: httpx.Request,
        timeouts: dict[str, Any],
    ) -> httpx.Response:
        headers = list(request.headers.raw)
        body = b"".join([chunk async for chunk in request.stream])  # type: ignore[union-attr]
        with _raised_as(httpx.WriteTimeout, httpx.WriteError):
            data = http11.request_bytes(request.method, request.url.raw_path, headers, body)
        conn.answer = http11.ResponseReader(request.method, headers)
        await conn.write(data, timeouts.get("write"))
        read_timeout = timeouts.get("read")
        event = await conn.next_event(read_timeout)
        if not isinstance(event, http11.Head):  # CLOSED: not a byte of an answer came
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        return httpx.Response(
            status_code=event.status,
            headers=event.headers,
            stream=_Body(self, address, conn, read_timeout),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": event.reason},
        )

    async def _connect(self, address: Address, timeout: float | None) -> _Connection:
        with _raised_as(httpx.ConnectTimeout, httpx.ConnectError):
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(*address)
        return _Connection(reader, writer)

    def _reuse(self, address: Address) -> _Connection | None:
        idle = self._idle.get(address, [])
        now = time.monotonic()
        while idle:
            conn = idle.pop()
            if conn.reusable(now):
                return conn
            conn.close()
        return None

    def _release(self, address: Address, conn: _Connection) -> None:
        answer, conn.answer = conn.answer, None
        if self._closed or answer is None or not answer.reusable:
            conn.close()
            return
        conn.idle_since = time.monotonic()
        idle = self._idle.setdefault(address, [])
        idle.append(conn)
        while len(idle) > MAX_IDLE:
            idle.pop(0).close()

    async def aclose(self) -> None:
        self._closed = True
        for idle in self._idle.values():
            for conn in idle:
                conn.close()
        self._idle.clear()
