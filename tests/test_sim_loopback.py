"""The simulator served by uvicorn on a real loopback port (another thread, another loop)."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from beeper_tui.sim import World
from beeper_tui.sim.serve import _bind, running_server


async def test_long_poll_scan_and_drop_over_a_real_socket(world: World) -> None:
    headers = {"Authorization": f"Bearer {world.token}"}
    with running_server(world) as base_url:
        async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=5) as http:
            info = (await http.get("/v1/info")).json()
            assert info["server"]["base_url"] == base_url
            assert info["server"]["port"] == int(base_url.rsplit(":", 1)[1])

            session = (await http.post("/v1/bridges/local-whatsapp/login-sessions")).json()
            path = f"/v1/bridges/local-whatsapp/login-sessions/{session['loginSessionID']}"
            step = f"{path}/steps/{session['currentStep']['stepID']}"
            waiting = asyncio.create_task(http.post(step, json={"type": "display_and_wait"}))
            await world.until_waiting(session["loginSessionID"])  # in the server's thread
            assert not waiting.done()
            assert world.scan() == 1  # from this thread, while uvicorn serves in its own
            done = (await asyncio.wait_for(waiting, 3)).json()
            assert done["status"] == "complete"

            world.faults.add("drop", path="/v1/bridges")
            with pytest.raises(httpx.RemoteProtocolError):
                await http.get("/v1/bridges")
            assert (await http.get("/v1/bridges")).status_code == 200

            second = (await http.post("/v1/bridges/local-signal/login-sessions")).json()
            path = f"/v1/bridges/local-signal/login-sessions/{second['loginSessionID']}"
            step = f"{path}/steps/{second['currentStep']['stepID']}"
            waiting = asyncio.create_task(http.post(step, json={"type": "display_and_wait"}))
            await world.until_waiting(second["loginSessionID"])
            world.faults.add("drop", path="/v1/bridges/*/steps/*")
            with pytest.raises(httpx.RemoteProtocolError):
                await asyncio.wait_for(waiting, 3)

            scanned = await http.post("/_sim/scan", json={"sessionID": second["loginSessionID"]})
            assert scanned.json() == {"scanned": 1}
            assert (await http.get(path)).json()["status"] == "complete"


def test_sim_command_prints_url_and_token_and_serves() -> None:
    command = [sys.executable, "-m", "beeper_tui.sim", "--port", "0", "--token", "tok-123"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        printed = []
        while not printed or "Ctrl-C" not in printed[-1]:
            line = process.stdout.readline()
            assert line, "the command ended before serving"
            printed.append(line)
        base_url = printed[0].split(" on ", 1)[1].strip()
        assert base_url.startswith("http://127.0.0.1:")
        assert any("BEEPER_ACCESS_TOKEN=tok-123" in line for line in printed)
        answer = _get_when_up(f"{base_url}/v1/accounts", token="tok-123")
        assert answer.status_code == 200 and len(answer.json()) >= 14
        assert _get_when_up(f"{base_url}/v1/accounts", token="bad").status_code == 401
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)


def _get_when_up(url: str, token: str) -> httpx.Response:
    """GET, retrying while uvicorn is still starting on the already-bound socket."""
    for _ in range(100):
        try:
            return httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=2)
        except httpx.ConnectError:
            time.sleep(0.05)
    raise AssertionError("the simulator never answered")


def test_served_sockets_are_tcp_so_asyncio_turns_nagle_off() -> None:
    """asyncio sets TCP_NODELAY only on sockets whose ``proto`` is TCP, and accepted sockets
    inherit the listener's: with proto 0 every keep-alive answer waited ~40 ms for a delayed
    ACK between its headers and its body."""
    sock = _bind("127.0.0.1", 0)
    try:
        sock.listen()
        with socket.create_connection(sock.getsockname()):
            accepted, _ = sock.accept()
            with accepted:
                assert accepted.proto == socket.IPPROTO_TCP
    finally:
        sock.close()
