"""Logins that survive a crash, headless: the journal on disk (modes, atomic writes, a corrupt
file) and what the next start does with the sessions it recorded."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from beeper_tui.api.client import BeeperClient
from beeper_tui.login_journal import LoginJournal, state_dir
from beeper_tui.login_leftovers import SESSION_LIFETIME, process_running, settle_leftovers
from beeper_tui.sim import World, build_demo_world, create_app, sim_transport

BASE = "http://sim.local"
DEAD = 999_999_999  # no such process


def dead(pid: int) -> bool:
    return False


@pytest.fixture
def journal(tmp_path: Path) -> LoginJournal:
    return LoginJournal.in_state_dir({"XDG_STATE_HOME": str(tmp_path / "state")})


def test_state_dir_follows_xdg_state_home(tmp_path: Path) -> None:
    assert state_dir({"XDG_STATE_HOME": str(tmp_path)}) == tmp_path / "beeper-tui"
    assert state_dir({}) == Path.home() / ".local" / "state" / "beeper-tui"


def test_journal_is_private_and_written_atomically(journal: LoginJournal) -> None:
    journal.record("telegram", "ls_1", BASE)
    journal.record("local-whatsapp", "ls_2", BASE)
    assert stat.S_IMODE(journal.directory.stat().st_mode) == 0o700
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600
    assert sorted(p.name for p in journal.directory.iterdir()) == [
        "login-sessions.json",
        "login-sessions.lock",
    ]  # no temporary file left behind
    assert [(e.bridge_id, e.session_id, e.base_url) for e in journal.entries()] == [
        ("telegram", "ls_1", BASE),
        ("local-whatsapp", "ls_2", BASE),
    ]
    assert journal.entries()[0].pid == os.getpid()
    journal.remove("telegram", "ls_1")
    assert [e.session_id for e in journal.entries()] == ["ls_2"]
    journal.remove("local-whatsapp", "ls_2")
    assert not journal.path.exists() and journal.entries() == []


def test_two_processes_keep_each_others_entries(journal: LoginJournal) -> None:
    other = LoginJournal(journal.directory, pid=4242)
    journal.record("telegram", "ls_1", BASE)
    other.record("telegram", "ls_2", BASE)
    journal.remove("telegram", "ls_1")
    assert [(e.session_id, e.pid) for e in journal.entries()] == [("ls_2", 4242)]


def test_corrupt_or_odd_journal_is_read_as_empty_and_never_crashes(
    journal: LoginJournal,
) -> None:
    journal.record("telegram", "ls_1", BASE)
    journal.path.write_text("{not json")
    assert journal.entries() == []
    journal.path.write_text(json.dumps({"sessions": [{"bridge_id": "x"}, 3, None]}))
    assert journal.entries() == []
    journal.record("telegram", "ls_9", BASE)  # replaces the corrupt one
    assert [e.session_id for e in journal.entries()] == ["ls_9"]


def test_an_unwritable_state_dir_never_stops_a_login(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    journal = LoginJournal(blocker / "beeper-tui")  # its parent is a file
    journal.record("telegram", "ls_1", BASE)  # no exception
    assert journal.entries() == []


def test_process_running_tells_a_dead_process_from_a_live_one() -> None:
    assert process_running(os.getpid())
    assert not process_running(DEAD)
    assert not process_running(0)


def test_a_beeper_tui_that_died_but_is_not_reaped_yet_runs_no_more() -> None:
    """A zombie still has its pid; it owns no session any more."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        deadline = time.monotonic() + 10
        while process_running(child.pid):  # never reaped meanwhile: no poll(), no wait()
            assert time.monotonic() < deadline, "the exited child still counts as running"
            time.sleep(0.01)
        assert Path(f"/proc/{child.pid}").exists(), "it was a zombie, not gone"
    finally:
        child.wait()


# --- The next start ---------------------------------------------------------------------------


def client_on(world: World) -> BeeperClient:
    return BeeperClient(BASE, world.token, transport=sim_transport(create_app(world)))


async def open_sessions(client: BeeperClient, journal: LoginJournal, *bridges: str) -> list[str]:
    ids = []
    for bridge in bridges:
        session = await client.create_login_session(bridge)
        journal.record(bridge, session.login_session_id, BASE)
        ids.append(session.login_session_id)
    return ids


async def test_next_start_cancels_every_session_a_dead_process_left_open(
    journal: LoginJournal,
) -> None:
    world = build_demo_world()
    async with client_on(world) as client:
        await open_sessions(client, journal, "telegram", "local-whatsapp")
        crashed = LoginJournal(journal.directory, pid=DEAD)
        for entry in journal.entries():  # as if the crashed process had recorded them
            crashed.record(entry.bridge_id, entry.session_id, entry.base_url)
        assert world.open_session_count == 2

        found = await settle_leftovers(client, journal, BASE)

        assert world.open_session_count == 0
        assert len(found.cancelled) == 2 and journal.entries() == []


async def test_sessions_of_a_running_beeper_tui_are_left_alone(journal: LoginJournal) -> None:
    world = build_demo_world()
    async with client_on(world) as client:
        await open_sessions(client, journal, "telegram")  # recorded with our own (live) pid
        found = await settle_leftovers(client, journal, BASE)
        assert world.open_session_count == 1 and len(journal.entries()) == 1
        assert not found.cancelled


async def test_ended_expired_and_old_sessions_are_forgotten_quietly(
    journal: LoginJournal,
) -> None:
    world = build_demo_world()
    async with client_on(world) as client:
        ended, expired, old = await open_sessions(
            client, journal, "telegram", "bluesky", "discordgo"
        )
        await client.cancel_login_session("telegram", ended)
        world.expire_session(expired)
        assert world.open_session_count == 1
        recorded_at = {e.session_id: e.opened_at for e in journal.entries()}
        later = recorded_at[old] + SESSION_LIFETIME + 1

        found = await settle_leftovers(
            client, journal, BASE, running=dead, now=lambda: later, keep_open=True
        )

        assert sorted(e.session_id for e in found.forgotten) == sorted([ended, expired, old])
        assert found.still_open == []  # the old one was cancelled, not offered
        assert world.open_session_count == 0 and journal.entries() == []


async def test_keep_open_hands_back_young_open_sessions_for_an_offer(
    journal: LoginJournal,
) -> None:
    world = build_demo_world()
    async with client_on(world) as client:
        [session_id] = await open_sessions(client, journal, "telegram")
        found = await settle_leftovers(client, journal, BASE, running=dead, keep_open=True)
        [(entry, session)] = found.still_open
        assert entry.session_id == session_id == session.login_session_id
        assert session.status == "waiting_for_input"
        assert world.open_session_count == 1 and len(journal.entries()) == 1


async def test_other_servers_sessions_wait_and_an_unreachable_server_keeps_them(
    journal: LoginJournal,
) -> None:
    journal.record("telegram", "ls_elsewhere", "http://127.0.0.1:23380")
    journal.record("telegram", "ls_here", BASE)
    world = build_demo_world()
    async with client_on(world) as client:
        # The simulator answers, but has no such session (404): forgotten.
        found = await settle_leftovers(client, journal, BASE, running=dead)
    assert [e.session_id for e in found.forgotten] == ["ls_here"]
    assert [e.session_id for e in journal.entries()] == ["ls_elsewhere"]
    unreachable = BeeperClient("http://127.0.0.1:9", "t", retries=0)
    journal.record("telegram", "ls_here", "http://127.0.0.1:9")
    async with unreachable:
        found = await settle_leftovers(unreachable, journal, "http://127.0.0.1:9", running=dead)
    assert [e.session_id for e in found.unchecked] == ["ls_here"]
    assert len(journal.entries()) == 2


@pytest.mark.parametrize(
    "module",
    [
        "beeper_tui.alerts.breakage",
        "beeper_tui.alerts.desktop",
        "beeper_tui.alerts.exec_hook",
        "beeper_tui.request_log",
        "beeper_tui.login_journal",
        "beeper_tui.login_leftovers",
    ],
)
def test_alerts_log_and_journal_stay_headless(module: str) -> None:
    import subprocess
    import sys

    code = f"import sys, {module}; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr or f"{module} pulled in textual"
