"""No server string reaches a terminal raw, and the layout holds, on every surface.

Each class of dangerous string (markup, CSI, OSC 0/8/52 ended by BEL and by ST, C1, DEL, bidi
overrides, zero-width, NUL, CR/BS, newlines, lone surrogates, 10 000 characters, wide and
combining characters) goes into every server field a surface shows:

- headless: ``status``, ``status --json``, ``watch``, ``watch --json`` and stderr, written to a
  strict UTF-8 stream as a terminal would get them;
- the TUI: the real ``beeper-tui`` on a pseudo-terminal against the simulator on loopback —
  the home list, the detail pane, a notification, and the login wizard's form with prefilled
  values — where every byte it writes is checked, and drawn by a terminal emulator to check
  the window title and the layout.

"Raw" means: a character a terminal acts on or reorders (C0 other than the line breaks we
write, DEL, C1, bidi and other format characters, lone surrogates), or an escape sequence the
server sent, arriving as such. Shown safely, the same text appears as ``␛``, ``␇``, ``�``…
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from beeper_tui.api.client import BeeperClient
from beeper_tui.connect import Connection
from beeper_tui.sim import World, build_demo_world
from beeper_tui.sim.flows import Flow, phone_user
from beeper_tui.sim.inputs import Field
from beeper_tui.sim.records import SimBridge
from beeper_tui.sim.steps import Ask
from beeper_tui.status import run_status
from beeper_tui.watch import run_watch
from tests import test_status_cli as status_cli

#: One string per class of danger. Every escape carries the word "hostile" (or a payload of
#: its own) so that, shown, it can be recognised.
CLASSES: dict[str, str] = {
    "markup": "[bold red]hostile[/] [link=https://evil.invalid]x[/link]",
    "csi": "\x1b[5;31;47mhostile\x1b[2J\x1b[H",
    "osc0-bel": "\x1b]0;hostile-title\x07",
    "osc0-st": "\x1b]0;hostile-title\x1b\\",
    "osc8-bel": "\x1b]8;;https://evil.invalid/\x07hostile-link\x1b]8;;\x07",
    "osc8-st": "\x1b]8;;https://evil.invalid/\x1b\\hostile-link\x1b]8;;\x1b\\",
    "osc52-bel": "\x1b]52;c;aG9zdGlsZQ==\x07",
    "osc52-st": "\x1b]52;c;aG9zdGlsZQ==\x1b\\",
    "c1": "\x9b5;31mhostile\x9d0;hostile-c1\x9c\x85\x90",
    "del": "host\x7file",
    "bidi": "\u202ehostile\u202c \u2066x\u2069 \u200fy",
    "zero-width": "ho\u200bst\ufeffi\u2060le",
    "nul": "host\x00ile",
    "cr-bs": "hostile\rFAKE\x08\x08\x08",
    "newline": "host\nFAKE line\r\nFAKE\u2028FAKE\u2029FAKE\x0bFAKE\x0cFAKE",
    "lone-surrogate": "hostile\ud800x\udfff",
    "long": "hostile" + "W" * 10_000,
    "wide-combining": "漢字😀e\u0301\u0336\u20dd" * 4 + "hostile",
}
CLASS_IDS = list(CLASSES)

#: Characters that may not reach a terminal from the server in any form but their visible one.
RAW_CHAR = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)
#: The escape sequences the server sent, as they would arrive raw.
SERVER_SEQUENCES = (
    "\x1b[5;31;47m",
    "\x1b[2J",
    "\x1b]0;hostile",
    "\x1b]8;;https://evil",
    "\x1b]52;c;aG9zdGlsZQ",
    "\x1b\\",
)


#: What every run tried, for benchmarks/hostile_report.py.
TALLY = {"cases": 0, "raw": 0, "leaked": 0, "token": 0}


def raw_in(text: str) -> list[str]:
    """Every raw character of ``text`` (for a message that says what leaked); counted."""
    TALLY["cases"] += 1
    found = [repr(m.group()) for m in RAW_CHAR.finditer(text)]
    TALLY["raw"] += len(found)
    return found


# --- Headless surfaces ------------------------------------------------------------------------


def hostile_bridges(evil: str) -> dict[str, Any]:
    """A /v1/bridges answer with ``evil`` in every string field a surface shows, its account
    needing attention."""
    return status_cli.hostile_bridges(evil, status="reconnect_required")


def served(*answers: tuple[int, Any], version: str = "4.2") -> Connection:
    """A client whose server answers ``answers`` in turn (the last one from then on), each
    as exact JSON (lone surrogates as ``\\ud800`` escapes, as JSON allows)."""
    queue = list(answers)
    header = version.encode("utf-8", "surrogatepass")

    def handler(request: httpx.Request) -> httpx.Response:
        status, body = queue.pop(0) if len(queue) > 1 else queue[0]
        headers = [(b"content-type", b"application/json"), (b"x-beeper-desktop-version", header)]
        return httpx.Response(status, headers=headers, content=json.dumps(body).encode())

    client = BeeperClient(
        "http://mock.local", "tok-hostile", transport=httpx.MockTransport(handler), retries=0
    )
    return Connection(client, "mock")


def terminal_stream() -> tuple[io.TextIOWrapper, io.BytesIO]:
    """A UTF-8 stream as strict as a terminal's encoder: a lone surrogate raises."""
    raw = io.BytesIO()
    return io.TextIOWrapper(raw, encoding="utf-8", errors="strict", write_through=True), raw


async def never_sleep(seconds: float) -> None:
    return None


@pytest.mark.parametrize("kind", CLASS_IDS)
async def test_status_text(kind: str) -> None:
    evil = CLASSES[kind]
    out, raw = terminal_stream()
    err = io.StringIO()
    code = await run_status(served((200, hostile_bridges(evil)), version=f"9{evil}"),
                            as_json=False, out=out, err=err)  # fmt: skip
    text = raw.getvalue().decode("utf-8")
    assert code == 0 and err.getvalue() == ""
    assert not raw_in(text), raw_in(text)
    lines = text.splitlines()
    # The layout holds: the head, the verdict, a blank, one bridge line, one account line.
    assert len(lines) == 5, lines
    assert lines[0].startswith("Beeper Desktop 9") and lines[1] == "All 1 accounts fine"
    assert lines[3].startswith("Display") and lines[4].startswith("  ? unknown ")
    assert all(len(line) < 400 for line in lines)


@pytest.mark.parametrize("kind", CLASS_IDS)
async def test_status_json(kind: str) -> None:
    evil = CLASSES[kind]
    out, raw = terminal_stream()
    code = await run_status(served((200, hostile_bridges(evil)), version=f"9{evil}"),
                            as_json=True, out=out, err=io.StringIO())  # fmt: skip
    text = raw.getvalue().decode("utf-8")
    assert code == 0
    assert not raw_in(text.replace("\n", " ")), raw_in(text)
    report = json.loads(text)  # the exact values, for scripts
    (bridge,) = report["bridges"]
    assert (bridge["id"], bridge["provider"], bridge["displayName"]) == (
        f"b{evil}",
        f"p{evil}",
        f"Display{evil}",
    )
    assert bridge["accounts"][0]["accountID"] == f"acct{evil}"
    assert bridge["accounts"][0]["name"] == f"Name{evil}"


def watch_answers(evil: str) -> Iterator[tuple[int, Any]]:
    before = hostile_bridges(evil)
    after = hostile_bridges(evil)
    after["items"][0]["accounts"][0]["status"] = f"connected{evil}"
    yield 200, before
    yield 200, after


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("kind", CLASS_IDS)
async def test_watch(kind: str, as_json: bool) -> None:
    evil = CLASSES[kind]
    out, raw = terminal_stream()
    code = await run_watch(
        served(*watch_answers(evil)),
        as_json=as_json,
        interval=0.0,
        out=out,
        err=io.StringIO(),
        max_polls=2,
        sleep=never_sleep,
    )
    text = raw.getvalue().decode("utf-8")
    assert code == 0
    # One account, then one change: one line each; nothing can fake another.
    (state,) = text.splitlines()[:1]
    (line,) = status_cli.after_snapshot(text, as_json=as_json, accounts=1)
    assert not raw_in(state), raw_in(state)
    assert not raw_in(line), raw_in(line)
    if as_json:
        (account,) = json.loads(state)["accounts"]
        assert (account["accountID"], account["name"]) == (f"acct{evil}", f"Name{evil}")
        change = json.loads(line)
        assert (change["accountID"], change["to"]) == (f"acct{evil}", f"connected{evil}")
    else:
        assert "  Name" in state and "(acct" in state  # the account, on its one line
        assert " → connected" in line


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 429, 500, 503])
@pytest.mark.parametrize("kind", CLASS_IDS)
async def test_stderr(kind: str, status: int) -> None:
    evil = CLASSES[kind]
    body = {"message": f"Oops{evil}", "code": f"c{evil}", "details": {"issues": [
        {"code": evil, "message": evil, "path": ["body", evil, 1.5]}]}}  # fmt: skip
    for command in ("status", "watch"):
        err, raw = terminal_stream()
        if command == "status":
            code = await run_status(served((status, body)), as_json=False, out=io.StringIO(),
                                    err=err)  # fmt: skip
            assert code == 2
        else:
            await run_watch(served((status, body)), as_json=False, interval=0.0,
                            out=io.StringIO(), err=err, max_polls=1, sleep=never_sleep)  # fmt: skip
        text = raw.getvalue().decode("utf-8")
        (line,) = text.splitlines()
        assert line.startswith("beeper-tui")
        assert not raw_in(line), raw_in(line)
        TALLY["token"] += "tok-hostile" in line
        assert "tok-hostile" not in line


# --- The TUI, byte for byte ----------------------------------------------------------------------

#: Sequences Textual itself writes; any other escape in the output came from somewhere else.
TEXTUAL_ESCAPES = re.compile(
    r"\x1b\[[0-9;?<>=:]*[ -/]*[@-~]"  # CSI
    r"|\x1b\](?:22;[a-z-]*|52;c;[A-Za-z0-9+/=]*)\x07"  # pointer shape, clipboard (copy)
    r"|\x1b[78=>]"
)


def assert_terminal_got_nothing_raw(output: bytes) -> None:
    text = output.decode("utf-8", "surrogateescape")  # invalid UTF-8 would show as surrogates
    leaked = [sequence for sequence in SERVER_SEQUENCES if sequence in text]
    TALLY["raw"] += len(leaked)
    assert not leaked, f"the server's {leaked!r} reached the terminal"
    rest = TEXTUAL_ESCAPES.sub("", text).replace("\r\n", "\n")
    assert "\x1b" not in rest, rest[max(0, rest.index("\x1b") - 40) :][:80]
    assert "\x07" not in rest and "\r" not in rest
    assert not raw_in(rest.replace("\n", " ")), raw_in(rest)


@pytest.fixture
def surrogate_json(monkeypatch: pytest.MonkeyPatch) -> None:
    """The simulator answers with JSON escapes (``\\ud800``), as a server may: the default
    renderer cannot encode a lone surrogate at all."""
    from starlette.responses import JSONResponse

    def render(self: JSONResponse, content: Any) -> bytes:
        return json.dumps(content, separators=(",", ":")).encode()

    monkeypatch.setattr(JSONResponse, "render", render)


def hostile_world() -> World:
    """The demo world plus a bridge whose every string, and every account's, is hostile:
    one account per class, all needing attention (so they head the list), and a login form
    whose fields carry each class as label, description, placeholder and prefilled value."""
    world = build_demo_world(token="tok-hostile-tui", autoscan=None, live_changes=False)
    fields = tuple(
        Field(
            f"f{index}",
            "username",
            f"{kind}: {evil}"[:200],
            placeholder=evil[:200],
            optional=True,
            description=f"About {evil}"[:200],
            initial_value=f"{evil}"[:300],
        )
        for index, (kind, evil) in enumerate(CLASSES.items())
    )
    flows = tuple(
        Flow(
            f"part{part}",
            f"Part {part} {CLASSES['osc0-bel']}",
            f"Fields {CLASSES['csi']}",
            steps=(
                Ask(
                    f"form{part}",
                    f"Fill in {CLASSES['osc52-st']}",
                    fields=fields[part * 6 : part * 6 + 6],
                ),
            ),
            makes=phone_user,
        )
        for part in range(3)
    )
    world.add_bridge(
        SimBridge(
            "hostile",
            f"Evil {CLASSES['osc8-st']}",
            "hostile",
            "cloud",
            network=f"Net {CLASSES['bidi']}",
            flows=flows,
        )
    )
    for index, (_kind, evil) in enumerate(CLASSES.items()):
        world.add_account(
            "hostile",
            f"login{index}{evil[:40]}",
            {"id": f"u{index}", "fullName": f"{index:02} {evil}"},
            status="reconnect_required",
            status_text=f"Says {evil}",
        )
    return world


def pty_only(test: Any) -> Any:
    """A test of the real app on a pseudo-terminal, drawn by a terminal emulator (pyte)."""
    try:
        import pyte  # noqa: F401
    except ImportError:
        return pytest.mark.skip(reason="drawing the terminal needs the dev extra (pyte)")(test)
    return pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals only")(test)


def detail_title(tty: Any) -> str:
    """The first line of the detail pane beside the list (whose account it shows)."""
    row = next((row for row in tty.screen.display if "▏" in row), "")
    return row.partition("▏")[2].strip()


@pty_only
def test_home_list_detail_and_notification(tmp_path: Path, surrogate_json: None) -> None:
    from tests.support.terminal import beeper_tui_on_a_terminal

    world = hostile_world()
    size = (160, 50)
    with beeper_tui_on_a_terminal(world, config_home=tmp_path, size=size) as tty:
        tty.until(lambda: tty.shows("00 [bold red]hostile"), 30, "the hostile accounts")
        title = tty.screen.title
        for _ in CLASSES:  # each account in turn in the detail pane
            before = detail_title(tty)
            tty.press("j", settle=0)
            moved = lambda was=before: detail_title(tty) != was  # noqa: E731
            tty.until(moved, 5, f"the next account after {before}")
        tty.press("c", settle=0)  # copy its ID: a notification names it
        tty.until(lambda: tty.shows("Copied"), 5, "the notification")
        screen = list(tty.screen.display)
        tty.press("q")
        assert tty.exit_code() == 0
    assert_terminal_got_nothing_raw(bytes(tty.output))
    assert "hostile" not in title  # the window title was never the server's
    # Shown, visibly: the escapes as ␛, the rest as �.
    assert any("␛]0;hostile-title" in row for row in screen)
    # The layout holds: the status line on top, the footer at the bottom, and each account on
    # one row of its own, under the column of its health.
    assert screen[0].startswith(" Beeper Desktop ")
    assert "q Quit" in screen[-1]
    health_rows = [row for row in screen if row.startswith("  ✖ needs attention ")]
    assert len(health_rows) >= len(CLASSES)
    assert not any(row.startswith("FAKE") for row in screen)


@pty_only
@pytest.mark.parametrize("part", [0, 1, 2])
def test_login_form_with_prefilled_values(part: int, tmp_path: Path, surrogate_json: None) -> None:
    from tests.support.terminal import beeper_tui_on_a_terminal

    world = hostile_world()
    kinds = CLASS_IDS[part * 6 : part * 6 + 6]
    size = (160, 60)
    args = ("login", "hostile", "--flow", f"part{part}")
    with beeper_tui_on_a_terminal(world, *args, config_home=tmp_path, size=size) as tty:
        drawn = lambda: all(tty.shows(f"{kind}: ") for kind in kinds)  # noqa: E731
        tty.until(lambda: drawn() and "esc" in tty.screen.display[-1].lower(), 30, "the form")
        title = tty.screen.title
        screen = list(tty.screen.display)
        tty.press("\x03", settle=0)  # Ctrl-C asks "stop connecting?"; again: quit, cancelled
        tty.until(lambda: tty.shows("Stop connecting"), 10, "the question")
        tty.press("\x03", settle=0)
        assert tty.exit_code() == 1
    TALLY["leaked"] += world.open_session_count
    assert world.open_session_count == 0
    assert_terminal_got_nothing_raw(bytes(tty.output))
    assert "hostile" not in title
    assert "Step 1" in screen[1] or "Step 1" in "".join(screen[:3])
    assert "esc" in screen[-1].lower()
    for kind in kinds:
        assert any(f"{kind}: " in row for row in screen), kind


# --- A prefilled value: what is shown is what is sent ---------------------------------------------


async def test_an_unedited_prefilled_value_sends_what_was_shown() -> None:
    """A safe ``initialValue`` is the server's exactly; one with characters a terminal acts
    on is shown in its visible form, and an unedited field sends that visible form (the raw
    bytes are never drawn, and the person sees exactly what is sent)."""
    from textual.widgets import Input

    from tests.support import harness_for, step

    evil = "me\x1b]52;c;aG9zdGlsZQ==\x07\u202e"
    form = step(
        {
            "type": "user_input",
            "stepID": "prefilled",
            "fields": [
                {"id": "safe", "type": "username", "label": "Safe", "initialValue": "alice 漢字"},
                {"id": "evil", "type": "username", "label": "Evil", "initialValue": evil},
            ],
        }
    )
    app = harness_for(form)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.query_one("#field-0", Input).value == "alice 漢字"
        assert app.query_one("#field-1", Input).value == "me␛]52;c;aG9zdGlsZQ==␇�"
        await pilot.click("#submit-form")
        await pilot.pause()
    [sent] = app.submitted
    assert sent.fields == {"safe": "alice 漢字", "evil": "me␛]52;c;aG9zdGlsZQ==␇�"}
