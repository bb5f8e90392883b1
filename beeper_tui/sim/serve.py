"""Serving the simulator on a real loopback port with uvicorn.

- :func:`serve` — ``beeper-tui sim``: serve the demo world until Ctrl-C, printing the base URL
  and token to use (``BEEPER_BASE_URL`` / ``BEEPER_ACCESS_TOKEN``).
- :func:`running_server` — for tests: serve a world on a free port in a background thread.
- :func:`run` — what ``beeper-tui sim`` (and ``python -m beeper_tui.sim``) calls with the
  options ``cli/parser.py`` parsed.
"""

from __future__ import annotations

import argparse
import secrets
import socket
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import uvicorn

from beeper_tui.sim.app import create_app
from beeper_tui.sim.demo import build_demo_world
from beeper_tui.sim.faults import parse_fault_spec
from beeper_tui.sim.setup_state import SETUP_STATES
from beeper_tui.sim.world import World

DEFAULT_PORT = 23373
#: Seconds after which a displayed QR/emoji/code/nothing step "is scanned" unless --manual.
SERVE_AUTOSCAN = 4.0


def _bind(host: str, port: int) -> socket.socket:
    # IPPROTO_TCP explicitly: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose
    # ``proto`` says TCP, and accepted sockets inherit the listener's. With proto 0 every
    # keep-alive answer waited ~40 ms for a delayed ACK between its headers and its body.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def _server(world: World, log_level: str) -> uvicorn.Server:
    config = uvicorn.Config(
        create_app(world),
        log_level=log_level,
        lifespan="off",
        timeout_graceful_shutdown=1,
        access_log=log_level in ("debug", "info"),
    )
    return uvicorn.Server(config)


def serve(
    port: int = DEFAULT_PORT,
    token: str | None = None,
    manual: bool = False,
    latency: float = 0.0,
    fail_rate: float = 0.0,
    faults: Sequence[str] = (),
    extra_accounts: int = 0,
    host: str = "127.0.0.1",
    live_changes: bool = True,
    setup_state: str = "ready",
) -> None:
    """Serve the demo world on ``host:port`` until Ctrl-C.

    ``token`` defaults to a fresh random one. Display steps scan themselves after
    ``SERVE_AUTOSCAN`` seconds unless ``manual`` (then POST /_sim/scan). ``latency`` delays
    every request; ``fail_rate`` answers that fraction of requests with a 500; ``faults`` are
    ``KIND[:PATH[:TIMES]]`` specs (see ``faults.parse_fault_spec``). Raises ValueError for a
    bad fault spec and OSError when the port is taken. ``manual`` also holds OAuth
    authorizations until POST /_sim/approve or /_sim/deny; ``setup_state`` is what
    ``GET /v1/app/setup`` reports.
    """
    if setup_state not in SETUP_STATES:
        raise ValueError(f"--setup-state must be one of: {', '.join(SETUP_STATES)}")
    token = token or secrets.token_urlsafe(24)
    world = build_demo_world(
        autoscan=None if manual else SERVE_AUTOSCAN,
        live_changes=live_changes,
        token=token,
        extra_accounts=extra_accounts,
    )
    world.oauth.manual = manual
    world.setup_state = setup_state
    specs = [parse_fault_spec(spec) for spec in faults]
    if latency > 0:
        world.faults.add("latency", path="/v1", delay=latency, times=None)
    if fail_rate > 0:
        world.faults.add("status", path="/v1", status=500, times=None, chance=fail_rate)
    for options in specs:
        world.faults.add(**options)
    sock = _bind(host, port)
    # Listen before saying where: whoever reads the address may connect at once, and a bound
    # socket that does not listen yet refuses (uvicorn listens only once it has started).
    sock.listen(2048)
    base_url = f"http://{host}:{sock.getsockname()[1]}"
    print(f"Beeper Desktop simulator on {base_url}")
    print(f"  export BEEPER_BASE_URL={base_url}")
    print(f"  export BEEPER_ACCESS_TOKEN={token}")
    if manual:
        print(f"Phone side: manual. Scan with: POST {base_url}/_sim/scan (same token)")
        print(f"OAuth: manual. Approve with: POST {base_url}/_sim/approve (or /_sim/deny)")
    else:
        print(f"Phone side: displayed codes are scanned by themselves after {SERVE_AUTOSCAN:g} s.")
    for rule in world.faults.rules:
        print(f"Fault: {rule.kind} on {rule.path or 'every path'} ({rule.times or '∞'}×)")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        _server(world, "info").run(sockets=[sock])
    finally:
        sock.close()


@contextmanager
def running_server(
    world: World, *, host: str = "127.0.0.1", log_level: str = "critical"
) -> Iterator[str]:
    """Serve ``world`` on a free loopback port in a background thread; yields the base URL."""
    sock = _bind(host, 0)
    server = _server(world, log_level)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the simulator server did not start")
            time.sleep(0.01)
        yield f"http://{host}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()


def run(args: argparse.Namespace) -> int:
    """Serve with the options ``cli/parser.py`` parsed for ``sim``; 2 on a bad option or a
    busy port."""
    try:
        serve(
            port=args.port,
            token=args.token,
            manual=args.manual,
            latency=args.latency,
            fail_rate=args.fail_rate,
            faults=args.fault,
            extra_accounts=args.extra_accounts,
            live_changes=not args.no_live,
            setup_state=args.setup_state,
        )
    except (ValueError, OSError) as exc:
        print(f"beeper-tui sim: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0
