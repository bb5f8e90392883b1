"""The suite-wide token check (``tests/token_guard.py``) fails a test that lets a token out,
on each surface it watches, and passes one that shows only the masked last 4 characters.

The guarded tests run in a separate pytest process (``pytester.runpytest_subprocess``), so
that their leaks are theirs and not this test's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

GUARDED = """
import subprocess, sys
from textual.app import App
from textual.widgets import Static
from beeper_tui.sim import World, build_demo_world
import pytest

SECRET = "suite-secret-0123456789"

def test_printed():
    World(token=SECRET)
    print("Authorization: Bearer", SECRET)

def test_read_back_by_the_test(capsys):
    World(token=SECRET)
    print(SECRET)
    assert SECRET in capsys.readouterr().out

def test_printed_by_a_process():
    World(token=SECRET)
    subprocess.run([sys.executable, "-c", f"print({SECRET!r})"], capture_output=True)

def test_in_a_log_file(tmp_path):
    World(token=SECRET)
    (tmp_path / "requests.log").write_text("GET /v1/accounts " + SECRET)

def test_on_screen():
    class Shows(App):
        def compose(self):
            yield Static("token " + SECRET)

    async def run():
        World(token=SECRET)
        async with Shows().run_test():
            pass
    import asyncio
    asyncio.run(run())

def test_in_a_notification():
    class Tells(App):
        def on_mount(self):
            self.notify("refused " + SECRET)

    async def run():
        World(token=SECRET)
        async with Tells().run_test() as pilot:
            await pilot.pause()
    import asyncio
    asyncio.run(run())

def test_an_oauth_token():
    world = build_demo_world()
    token, _ = world.oauth.issue("cl_x", "read write")
    print("signed in with", token)

def test_the_demo_token():
    print("demo-token")

def test_masked_is_fine(tmp_path):
    World(token=SECRET)
    print("token …" + SECRET[-4:])
    (tmp_path / "config.toml").write_text(f"token = {SECRET!r}")

@pytest.mark.shows_token("prints the export line on purpose")
def test_on_purpose():
    World(token=SECRET)
    print("export BEEPER_ACCESS_TOKEN=" + SECRET)
"""


def test_the_guard_fails_each_leak_and_passes_the_rest(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_guarded=GUARDED)
    result = pytester.runpytest_subprocess("-p", "tests.token_guard", "-p", "no:randomly", "-v")
    outcomes = dict(
        line.split("::")[1].split()[:2]
        for line in result.outlines
        if line.startswith("test_guarded.py::")
    )
    leaks = {
        "test_printed",
        "test_read_back_by_the_test",
        "test_printed_by_a_process",
        "test_in_a_log_file",
        "test_on_screen",
        "test_in_a_notification",
        "test_an_oauth_token",
        "test_the_demo_token",
    }
    assert {name for name, outcome in outcomes.items() if outcome == "FAILED"} == leaks
    assert {name for name, outcome in outcomes.items() if outcome == "PASSED"} == {
        "test_masked_is_fine",
        "test_on_purpose",
    }
    text = result.stdout.str()
    assert "An access token reached the output (token guard)" in text
    assert "…6789" in text
    assert "suite-secret-0123456789" not in text.replace('SECRET = "suite-secret-0123456789"', "")


def test_no_committed_picture_shows_the_demo_token() -> None:
    """The README's pictures (``screenshots/``, made by ``screenshots/make.py`` outside the
    suite) and the snapshot SVGs: none shows the demo's token."""
    pictures = [*ROOT.glob("screenshots/*.svg"), *ROOT.glob("tests/__snapshots__/**/*.svg")]
    assert len(pictures) > 10
    assert [p.name for p in pictures if "demo-token" in p.read_text("utf-8")] == []
