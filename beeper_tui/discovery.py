"""Find Beeper Desktop on this computer when nobody said where it is.

Beeper Desktop's API listens on ``127.0.0.1:23373`` unless that port was taken, then on a
nearby one. :func:`find_desktop` asks ``GET /v1/info`` on 23373 first and, when nothing there
answers like Beeper Desktop, on 23374–23392 all at once, each with a short timeout: a closed
port refuses at once, so the whole probe takes a few milliseconds when nothing listens (see
``benchmarks/discovery.py``). "Like Beeper Desktop" means a JSON object with the ``app``,
``server`` and ``endpoints`` objects of ``/v1/info``; a different web server on one of those
ports is passed over. The probe speaks minimal HTTP/1.1 over asyncio streams: no client to
build, nothing sent but the request line, and only ever to 127.0.0.1.

:func:`discover` applies it to :class:`~beeper_tui.config.Settings`: only when no address was
given anywhere (flag, environment, config file) — an explicit address is never replaced.
No textual import.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from beeper_tui.config import Settings

HOST = "127.0.0.1"
DEFAULT_PORT = 23373
PORTS = tuple(range(DEFAULT_PORT, DEFAULT_PORT + 20))
#: Per port: connect, send, and read the whole answer.
PROBE_TIMEOUT = 0.3
_MAX_ANSWER = 256 * 1024


@dataclass(frozen=True)
class Found:
    """Where Beeper Desktop answered, or ``None`` and every port that did not."""

    base_url: str | None
    port: int | None
    tried: tuple[int, ...]


def _dechunk(body: bytes) -> bytes:
    out, rest = bytearray(), body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size + 2 :]
    return bytes(out)


def looks_like_desktop(answer: bytes) -> bool:
    """Whether a raw HTTP answer is a 200 with a ``/v1/info`` body."""
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    if len(lines[0].split()) < 2 or lines[0].split()[1] != b"200":
        return False
    fields = (line.partition(b":") for line in lines[1:])
    headers = {name.strip().lower(): value.strip().lower() for name, _, value in fields}
    try:
        if headers.get(b"transfer-encoding") == b"chunked":
            body = _dechunk(body)
        info: Any = json.loads(body)
    except ValueError:
        return False
    return isinstance(info, dict) and all(
        isinstance(info.get(key), dict) for key in ("app", "server", "endpoints")
    )


async def answers(port: int, host: str = HOST, timeout: float = PROBE_TIMEOUT) -> bool:
    """Whether Beeper Desktop answers ``GET /v1/info`` on ``host:port`` within ``timeout``."""
    try:
        async with asyncio.timeout(timeout):
            data = await _read_all(host, port)
    except (OSError, TimeoutError, ValueError):
        return False
    return looks_like_desktop(data)


async def _read_all(host: str, port: int) -> bytes:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(
            f"GET /v1/info HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n"
            "User-Agent: beeper-tui\r\nConnection: close\r\n\r\n".encode("ascii")
        )
        await writer.drain()
        chunks, size = [], 0
        while size < _MAX_ANSWER:
            chunk = await reader.read(65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def find_desktop(
    ports: Sequence[int] = PORTS, host: str = HOST, timeout: float = PROBE_TIMEOUT
) -> Found:
    """The first of ``ports`` (in order) where Beeper Desktop answers: the first alone, then
    the rest concurrently."""
    if not ports:
        return Found(None, None, ())
    first, rest = ports[0], list(ports[1:])
    if await answers(first, host, timeout):
        return Found(f"http://{host}:{first}", first, ())
    probes = [asyncio.ensure_future(answers(port, host, timeout)) for port in rest]
    try:
        for port, probe in zip(rest, probes, strict=True):
            if await probe:
                return Found(f"http://{host}:{port}", port, (first, *rest[: rest.index(port)]))
    finally:
        for probe in probes:
            probe.cancel()
    return Found(None, None, tuple(ports))


def discover_now(settings: Settings) -> Settings:
    """:func:`discover` from code that is not async (the command line, before the TUI starts).

    It runs on its own event loop in a short-lived thread: an event loop run and closed on
    the main thread before Textual starts changes what Textual's own loop inherits, and then
    closing the terminal no longer ends the app the way it should."""
    if not settings.needs_discovery:
        return settings
    with ThreadPoolExecutor(1, thread_name_prefix="beeper-tui-discovery") as pool:
        return pool.submit(asyncio.run, discover(settings)).result()


async def discover(settings: Settings, ports: Sequence[int] = PORTS) -> Settings:
    """``settings`` with a probed address when none was given and one answers; otherwise as
    they are (with the ports tried, when there were)."""
    if not settings.needs_discovery:
        return settings
    found = await find_desktop(ports)
    if found.base_url is None or found.port is None:
        return replace(settings, tried_ports=found.tried)
    if found.port == DEFAULT_PORT:
        return settings
    return settings.found_at(found.base_url, found.port)
