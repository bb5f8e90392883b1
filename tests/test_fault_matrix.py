"""The fault matrix: every fault the simulator injects × every headless action and client call.

For each pair: no traceback (the call raises a :class:`BeeperError` or the command ends with
one line on stderr and exit 2), a message that says what actually happened (a timeout is "too
slowly", a drop is "dropped", a 401 is the token…), never the token, and recovery as soon as
the fault clears (the same call succeeds, ``watch`` says "reconnected").
"""

from __future__ import annotations

import io
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from beeper_tui.api import errors
from beeper_tui.api.client import BeeperClient
from beeper_tui.connect import connect_demo
from beeper_tui.sim import World, build_demo_world
from beeper_tui.sim.faults import KINDS
from beeper_tui.status import run_status
from beeper_tui.watch import run_watch
from tests.test_status_cli import after_snapshot

TOKEN = "tok-Fault-Matrix-Secret"
#: Per-read timeout of the matrix's clients; the latency fault waits longer than it.
TIMEOUT = 0.1
#: What every run tried, for benchmarks/hostile_report.py.
TALLY = {"cases": 0, "tracebacks": 0, "recovered": 0, "token": 0}


@dataclass(frozen=True)
class Fault:
    """One fault as the simulator injects it, and what the person must read about it."""

    name: str
    kind: str
    expected: type[errors.BeeperError]
    says: str
    options: dict[str, Any] = field(default_factory=dict)

    def add(self, world: World) -> None:
        world.faults.add(self.kind, path="/v1", times=None, **self.options)


FAULTS = [
    Fault("latency", "latency", errors.TimedOut, "answering too slowly", {"delay": 0.4}),
    Fault("status-500", "status", errors.ServerError, "internal error", {"status": 500}),
    Fault("status-503", "status", errors.ServerError, "internal error", {"status": 503}),
    Fault("status-400", "status", errors.Invalid, "", {"status": 400}),
    Fault("status-403", "status", errors.Forbidden, "permission", {"status": 403}),
    Fault("status-404", "status", errors.NotFound, "", {"status": 404}),
    Fault("status-409", "status", errors.Conflict, "", {"status": 409}),
    Fault("status-422", "status", errors.Invalid, "", {"status": 422}),
    Fault("malformed", "malformed", errors.ProtocolError, "malformed JSON"),
    Fault("drop", "drop", errors.ConnectionDropped, "dropped"),
    Fault("ratelimit", "ratelimit", errors.RateLimited, "Try again in 1 s", {"retry_after": 1}),
    Fault("unauthorized", "unauthorized", errors.Unauthorized, "refused the access token"),
]
FAULT_IDS = [fault.name for fault in FAULTS]


def test_the_matrix_covers_every_fault_kind_the_simulator_has() -> None:
    assert {fault.kind for fault in FAULTS} == set(KINDS)


# --- Client calls ----------------------------------------------------------------------------

Call = Callable[[BeeperClient, dict[str, str]], Awaitable[Any]]
CALLS: dict[str, Call] = {
    "info": lambda c, ids: c.info(),
    "accounts": lambda c, ids: c.accounts(),
    "bridges": lambda c, ids: c.bridges(),
    "bridge": lambda c, ids: c.bridge("telegram"),
    "login_flows": lambda c, ids: c.login_flows("telegram"),
    "logins": lambda c, ids: c.logins("telegram"),
    "login": lambda c, ids: c.login("telegram", ids["login"]),
    "create_login_session": lambda c, ids: c.create_login_session("telegram", flow_id="phone"),
    "login_session": lambda c, ids: c.login_session("telegram", ids["session"]),
    "submit_step": lambda c, ids: c.submit_step(
        "telegram",
        ids["session"],
        ids["step"],
        type="user_input",
        fields={"phone_number": "+14155552671"},
    ),
    "cancel_login_session": lambda c, ids: c.cancel_login_session("telegram", ids["session"]),
    "remove_login": lambda c, ids: c.remove_login("telegram", ids["login"], "all-devices"),
}


def matrix_world() -> World:
    return build_demo_world(token=TOKEN, autoscan=None, live_changes=False)


def matrix_client(world: World) -> BeeperClient:
    return connect_demo(world, timeout=TIMEOUT, retries=0, backoff=0.001).client


def assert_clear(err: errors.BeeperError, fault: Fault) -> None:
    """The error is the fault's, says what happened, and never holds the token."""
    assert isinstance(err, fault.expected), f"{fault.name}: {err!r}"
    assert fault.says in err.explanation, err.explanation
    assert "\n" not in err.explanation
    for text in (err.explanation, repr(err), str(err.body)):
        if TOKEN in text:
            TALLY["token"] += 1
            raise AssertionError(f"the token in {fault.name}'s error")


@pytest.mark.parametrize("call", list(CALLS))
@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_client_call(fault: Fault, call: str) -> None:
    world = matrix_world()
    async with matrix_client(world) as client:
        session = await client.create_login_session("telegram", flow_id="phone")
        step = session.current_step
        assert step is not None and step.step_id
        logins = await client.logins("telegram")
        ids = {
            "session": session.login_session_id,
            "step": step.step_id,
            "login": logins[0].login_id,
        }
        fault.add(world)
        TALLY["cases"] += 1
        try:
            await CALLS[call](client, ids)
        except errors.BeeperError as err:
            assert_clear(err, fault)
        except Exception:
            TALLY["tracebacks"] += 1
            raise
        else:
            raise AssertionError(f"{call} succeeded through {fault.name}")
        world.faults.clear()
        await CALLS[call](client, ids)  # recovery: the same call, the fault gone
        TALLY["recovered"] += 1


# --- Headless actions --------------------------------------------------------------------------


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_status(fault: Fault, as_json: bool) -> None:
    world = matrix_world()
    fault.add(world)
    TALLY["cases"] += 1
    out, err = io.StringIO(), io.StringIO()
    conn = connect_demo(world, timeout=TIMEOUT, retries=0)
    code = await run_status(conn, as_json=as_json, out=out, err=err)
    assert code == 2 and out.getvalue() == ""
    (line,) = err.getvalue().splitlines()
    assert line.startswith("beeper-tui: ") and fault.says in line, line
    assert TOKEN not in line and "Traceback" not in line

    world.faults.clear()
    out, err = io.StringIO(), io.StringIO()
    code = await run_status(connect_demo(world), as_json=as_json, out=out, err=err)
    assert code == 1 and err.getvalue() == ""  # the demo has accounts needing attention
    if as_json:
        assert json.loads(out.getvalue())["summary"]["accounts"] == len(world.accounts)
    TALLY["recovered"] += 1


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_watch(fault: Fault, as_json: bool) -> None:
    """The first poll meets the fault, the next one (fault cleared) a changed account."""
    world = matrix_world()
    fault.add(world)
    TALLY["cases"] += 1
    broken = "local-whatsapp_ba_EvYDBBsZbRQAy3UOSWqG0LuTVkc"  # connected in the demo

    async def sleep(seconds: float) -> None:
        if world.faults.rules:
            world.faults.clear()
        else:
            world.set_account_status(broken, "disconnected", "Gone")

    out, err = io.StringIO(), io.StringIO()
    conn = connect_demo(world, timeout=TIMEOUT, retries=0)
    code = await run_watch(
        conn, as_json=as_json, interval=0.01, out=out, err=err, max_polls=3, sleep=sleep
    )
    assert code == 0
    problem, recovered = err.getvalue().splitlines()
    assert problem.startswith("beeper-tui watch: ") and fault.says in problem, problem
    assert problem.endswith("(retrying)") and TOKEN not in problem
    assert recovered == "beeper-tui watch: reconnected"
    # The snapshot comes from the first answer that got through: the one after the fault.
    (change,) = after_snapshot(out.getvalue(), as_json=as_json, accounts=len(world.accounts))
    if as_json:
        assert json.loads(change)["accountID"] == broken
    else:
        assert f"({broken})" in change and "→ disconnected" in change
    TALLY["recovered"] += 1


# --- The home screen ---------------------------------------------------------------------------


async def signs_in_again(pilot: Any, world: World) -> None:
    """The sign-in says the token was refused (never showing it); once the fault clears, a
    token pasted there brings the accounts."""
    from beeper_tui.tui.accounts.screen import AccountsScreen
    from beeper_tui.tui.signin.sign_in import SignInScreen
    from tests.support import home, shown_text, wait_for

    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen), timeout=10)
    await pilot.pause()
    said = shown_text(app.screen.query_one("#sign-in-reason"), 200)
    assert "refused the access token" in said and TOKEN not in said
    world.faults.clear()
    await pilot.press("p")
    app.screen.query_one("#token").insert_text_at_cursor(TOKEN)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, AccountsScreen), timeout=10)
    await wait_for(pilot, lambda: home(pilot).header.updated_at is not None, timeout=10)
    assert "online" in shown_text(home(pilot).header, 240)


@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_home(fault: Fault, monkeypatch: pytest.MonkeyPatch) -> None:
    """The home screen opened under the fault says it is offline and keeps running; once the
    fault clears, the next poll brings the accounts back."""
    from beeper_tui.tui.accounts.screen import AccountsScreen
    from beeper_tui.tui.app import BeeperApp
    from tests.support import home, poll, polls_on_demand, shown_text, wait_for

    world = matrix_world()
    fault.add(world)
    TALLY["cases"] += 1
    waits = polls_on_demand(monkeypatch)
    app = BeeperApp(connect_demo(world, timeout=TIMEOUT, retries=0))
    async with app.run_test(size=(120, 30)) as pilot:
        if fault.kind == "unauthorized":  # a token refused everywhere: the sign-in (issue 9)
            await signs_in_again(pilot, world)
            TALLY["recovered"] += 1
            return
        await wait_for(pilot, lambda: isinstance(app.screen, AccountsScreen), timeout=10)
        await wait_for(pilot, lambda: home(pilot).header.offline, timeout=10)
        header = shown_text(home(pilot).header, 240)
        assert "offline" in header and TOKEN not in header
        world.faults.clear()
        await poll(pilot, waits)
        await wait_for(pilot, lambda: not home(pilot).header.offline, timeout=10)
        assert "online" in shown_text(home(pilot).header, 240)
        assert app.return_code is None  # still running: nothing crashed
    TALLY["recovered"] += 1


# --- The login wizard ----------------------------------------------------------------------------


def wizard_shows_trouble(app: Any) -> bool:
    """A banner, or a message on a field (a 400/422 lands where the person typed)."""
    from tests.support import banner_text, wizard_of

    screen = wizard_of(app)
    return bool(banner_text(app)) or bool(screen.query(".-invalid"))


@pytest.mark.parametrize("moment", ["start", "submit"])
@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
async def test_wizard(fault: Fault, moment: str) -> None:
    """Starting a login (creating its session), or sending its form, under the fault: the
    wizard says so and keeps running; once the fault clears, ``r`` carries on; no session
    is left open when the app ends."""
    from beeper_tui.tui.login.steps import FormStepWidget
    from tests.support import (
        SIZE,
        banner_text,
        fill_form,
        step_of,
        wait_for,
        wait_for_step,
        wizard_app,
    )

    world = matrix_world()
    path = "/v1/bridges/telegram/login-sessions"
    if moment == "submit":
        path += "/*/steps/*"
    TALLY["cases"] += 1
    app = wizard_app(world, "telegram", "phone")
    app.conn.client.deadline = 4 * TIMEOUT  # the latency fault outlasts it
    if moment == "start":
        world.faults.add(fault.kind, path=path, method="POST", times=None, **fault.options)
    async with app.run_test(size=SIZE) as pilot:
        if moment == "submit":
            await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.phone_number")
            world.faults.add(fault.kind, path=path, method="POST", times=None, **fault.options)
            await fill_form(pilot, "+15550109999")
        await wait_for(pilot, lambda: wizard_shows_trouble(app), timeout=10, what="the trouble")
        assert app.is_running
        assert TOKEN not in banner_text(app)
        world.faults.clear()
        if banner_text(app):
            await pilot.press("r")
        await wait_for(
            pilot,
            lambda: step_of(app) is not None and not banner_text(app),
            timeout=10,
            what="the wizard carrying on",
        )
        assert app.is_running
    # A 404 to a submit says the session is gone; the wizard believes it (login/driver.py
    # forgets a session the server no longer knows) and starts afresh. Only the fault lied:
    # the simulator still holds that first session, which a real 404 would not.
    believed_gone = 1 if (fault.name, moment) == ("status-404", "submit") else 0
    assert world.open_session_count == believed_gone
    TALLY["recovered"] += 1


# --- Every step kind mid-wizard: the login-session driver ---------------------------------------
#
# The wizard's requests mid-login are the driver's (``tui/login/driver.py``): a submit of a form
# or cookies step, a long-poll of a displayed one, the DELETE when leaving a step this version
# can't drive. Each step kind × each fault on that next request, headless (the screen's side is
# in tests/test_fault_matrix_tui.py): a ``BeeperError`` that says what happened, never another
# exception; recovery once the fault clears; no session open at the end.

IMESSAGE_LOGIN = "ba_aU1lc3NhZ2VLaW1QYXJrTWFj"  # reconnect_required in the demo
INSTAGRAM_COOKIES = {
    "sessionid": "1784%3AaBc",
    "csrftoken": "Tk9u",
    "ds_user_id": "17841400000000999",
    "mid": "ZmlkZGxl",
    "x-ig-www-claim": "hmac.AR3x",
}


@dataclass(frozen=True)
class MidStep:
    """How to bring a login to a step of one kind, and what its next request is."""

    bridge: str
    flow: str | None = None
    login: str | None = None
    before: tuple[dict[str, str] | str, ...] = ()
    """Submits (fields) or ``"scan"`` that lead from the first step to this one."""
    submits: dict[str, str] | None = None
    """The fields the step is submitted with; None: a displayed step, long-polled."""


STEP_KINDS = {
    "user_input": MidStep("telegram", "phone", submits={"phone_number": "+14155552671"}),
    "cookies": MidStep("instagramgo", "cookies", submits=INSTAGRAM_COOKIES),
    "qr": MidStep("local-whatsapp", "qr"),
    "emoji": MidStep("local-gmessages", "qr", before=("scan",)),
    "code": MidStep("local-whatsapp", "phone", before=({"phone_number": "+14155552671"},)),
    "nothing": MidStep("imessage", login=IMESSAGE_LOGIN),
}
STEPS_PATH = "/v1/bridges/*/login-sessions/*/steps/*"
#: Long-polls in a row the matrix lets run under a fault before calling it an endless loop.
POLL_LIMIT = 8


def quick_world() -> World:
    """The matrix world, whose display_and_wait long-polls are not held at all: each answers
    at once with where the session is, so the next long-poll comes at once (no real time
    passes waiting on the phone)."""
    world = matrix_world()
    world.long_poll_max = 0.0
    return world


async def on_step(driver: Any, world: World, mid: MidStep) -> str:
    """Open ``mid``'s login and bring it to its step; that step's ID."""
    session = await driver.create(flow_id=mid.flow, login_id=mid.login)
    for move in mid.before:
        if move == "scan":
            world.scan()
            await driver.wait()
        else:
            await driver.submit(fields=move)
    assert driver.step is not None and driver.step.step_id
    return str(driver.step.step_id) if session else ""


async def next_request(
    driver: Any, mid: MidStep, polls: int = POLL_LIMIT
) -> errors.BeeperError | None:
    """The step's next request (its submit, or its long-polls until one fails); the
    ``BeeperError`` it ended in, or None when it went through (``polls`` long-polls)."""
    try:
        if mid.submits is not None:
            await driver.submit(type=driver.step.type, fields=mid.submits)
        else:
            for _ in range(polls):
                await driver.wait()
    except errors.BeeperError as err:
        return err
    return None


@pytest.mark.parametrize("fault", FAULTS, ids=FAULT_IDS)
@pytest.mark.parametrize("kind", list(STEP_KINDS))
async def test_mid_wizard(kind: str, fault: Fault, monkeypatch: pytest.MonkeyPatch) -> None:
    from beeper_tui.tui.login.driver import LoginSessionDriver
    from beeper_tui.tui.login.open_sessions import OpenSessions

    monkeypatch.setattr(LoginSessionDriver, "CONFLICT_PAUSE", 0.001)
    mid = STEP_KINDS[kind]
    world = quick_world()
    TALLY["cases"] += 1
    async with matrix_client(world) as client:
        client.deadline = 4 * TIMEOUT  # the latency fault outlasts it
        tracker = OpenSessions()
        driver = LoginSessionDriver(client, mid.bridge, tracker=tracker)
        step_id = await on_step(driver, world, mid)
        world.faults.add(fault.kind, path=STEPS_PATH, method="POST", times=None, **fault.options)
        # A slow long-poll takes the fault's whole delay in real time: two in a row show that
        # a slow answer is taken and polled again; the error faults get POLL_LIMIT, to show
        # they end the polling rather than loop.
        polls = 2 if fault.kind == "latency" else POLL_LIMIT
        try:
            err = await next_request(driver, mid, polls)
        except Exception:
            TALLY["tracebacks"] += 1
            raise
        world.faults.clear()
        if fault.kind == "latency" and mid.submits is None:
            # A long-poll has its own, longer deadline: a slow answer is no fault there.
            assert err is None and driver.step is not None and driver.step.step_id == step_id
        else:
            assert err is not None, f"{kind} went through {fault.name}"
            assert_clear(err, fault)
            if fault.name == "status-409" and mid.submits is None:
                assert "keeps refusing" in err.explanation  # not polled for ever
        if isinstance(err, errors.NotFound):
            # The driver believes the session gone and let go of it; only the fault lied,
            # so the test closes it, and recovery is a fresh login on the same driver.
            assert driver.open_id is None and len(tracker) == 0
            for session in world.open_sessions():
                await client.cancel_login_session(mid.bridge, session["loginSessionID"])
            step_id = await on_step(driver, world, mid)
        else:
            again = await driver.reread()  # recovery: where the login is now
            assert again is not None and driver.step is not None
            assert driver.step.step_id == step_id, "the same step, carried on"
        assert await next_request(driver, mid) is None, "once the fault clears, it goes on"
        assert await driver.close() and len(tracker) == 0
    assert world.open_session_count == 0
    TALLY["recovered"] += 1
