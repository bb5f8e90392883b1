"""Logins that survive a crash, end to end: a real ``beeper-tui login`` process against a real
``beeper-tui sim`` on a loopback port, killed with SIGKILL in the middle of a login (no
handler runs: the session stays open on the server), then the next ``beeper-tui`` start finds
it in the journal and offers it; Cancel (``c``) DELETEs it — 0 sessions open. (What the offer
says, and Resume, are ``tests/test_resume_after_kill.py``.)"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

TOKEN = "crash-test-token-7c1e"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@contextmanager
def simulator(env: dict[str, str]) -> Iterator[str]:
    """``beeper-tui sim`` on a free loopback port, its phone side manual; its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "beeper_tui", "sim", "--port", "0", "--token", TOKEN, "--manual"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+", first)
        assert found, f"the simulator said {first!r}"
        yield found.group()
    finally:
        process.terminate()
        process.wait(10)


@contextmanager
def on_a_terminal(
    args: list[str], env: dict[str, str]
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``beeper-tui ARGS`` on a pseudo-terminal whose output is read (and dropped), so the
    app never blocks writing; the process, and the terminal's side to type on."""
    master, slave = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "beeper_tui", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(slave)

    def drain() -> None:
        while True:
            try:
                if not os.read(master, 65536):
                    return
            except OSError:
                return

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        yield process, master
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        os.close(master)


def open_sessions(base_url: str) -> list[dict[str, Any]]:
    answer = httpx.get(
        f"{base_url}/_sim/sessions", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5
    )
    answer.raise_for_status()
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def test_sigkill_mid_login_leaves_no_open_session_after_the_next_start(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BEEPER_", "TEXTUAL"))}
    env.update(
        TERM="xterm-256color",
        COLUMNS="100",
        LINES="30",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        BEEPER_ACCESS_TOKEN=TOKEN,
    )
    journal = tmp_path / "state" / "beeper-tui" / "login-sessions.json"
    with simulator(env) as base_url:
        env["BEEPER_BASE_URL"] = base_url
        with on_a_terminal(["login", "telegram"], env) as (login, _):
            until(lambda: len(open_sessions(base_url)) == 1, 30, "the login session to open")
            until(journal.exists, 10, "the journal to record it")
            [recorded] = json.loads(journal.read_text())["sessions"]
            [session] = open_sessions(base_url)
            assert recorded["session_id"] == session["loginSessionID"]
            assert (recorded["bridge_id"], recorded["base_url"]) == ("telegram", base_url)
            assert recorded["pid"] == login.pid

            login.send_signal(signal.SIGKILL)
            assert login.wait(10) == -signal.SIGKILL

        assert len(open_sessions(base_url)) == 1  # nothing ran on the way out: still open
        with on_a_terminal([], env) as (next_start, keys):
            # The offer takes the session over (the journal names the new process), then
            # asks; "c" answers Cancel (typed again until it lands on the offer: before it,
            # "c" on the accounts only copies an ID).
            pid = lambda: json.loads(journal.read_text())["sessions"][0]["pid"]  # noqa: E731
            until(lambda: pid() == next_start.pid, 30, "the next start to take it over")
            until(lambda: os.write(keys, b"c") and open_sessions(base_url) == [], 30, "cancel")
            until(lambda: not journal.exists(), 10, "the journal to forget it")
            assert next_start.poll() is None  # it cancelled and carried on
            next_start.send_signal(signal.SIGTERM)
            next_start.wait(15)


def test_the_simulator_answers_as_soon_as_it_says_where(tmp_path: Path) -> None:
    """``beeper-tui sim`` prints its address and only then starts uvicorn; a connection made
    the moment the address is read (as the crash test's ``login`` does) was refused now and
    then ("connection refused"), until the socket listened before the address is printed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BEEPER_", "TEXTUAL"))}
    with simulator(env) as base_url:
        host, port = base_url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5):
            pass  # accepted (queued until the server takes it), not refused
        assert open_sessions(base_url) == []
