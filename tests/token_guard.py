"""The suite-wide token check: no test of the suite may let an access token reach what a
person or a program sees, whatever the test itself asserts.

Every test runs under this guard (a pytest plugin loaded by ``conftest.py``). It learns the
tokens in play and watches the surfaces the suite produces, then fails the test that let a
token through, naming the surface and never printing the token itself.

The tokens in play during a test:
- ``demo-token``, the simulator's default (``beeper-tui --demo`` and most worlds use it);
- every simulator ``World`` built in the test: its ``token``, and every token its OAuth server
  issued or revoked;
- ``BEEPER_ACCESS_TOKEN`` in the test's environment and in the ``env`` of the processes it starts.
Tokens shorter than 8 characters are not checked (they match ordinary words).

The surfaces watched:
- the test's captured stdout, stderr and log records (pytest's report sections), and whatever
  the test read itself through ``capsys`` / ``capfd``;
- the output of every process the test ran (``subprocess.run`` / ``Popen.communicate``) and
  every byte a pseudo-terminal test read (``tests/support/terminal.py`` reports its reads here);
- what the app shows: a screenshot of the screen on view when each Pilot run ends, every
  screenshot the test took (``App.export_screenshot``), every notification;
- the files a run may write that must not hold a token: everything in the state directory
  (login journals, remembered flows) and any file with "log" in its name under the test's
  ``tmp_path``. Config files and token files, whose job is to hold the token, are not read.

A test whose subject is a token being shown on purpose (the simulator's ``serve`` prints the
``export BEEPER_ACCESS_TOKEN=…`` line for the person to copy) says so with
``@pytest.mark.shows_token("why")``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from beeper_tui.sim import World

DEMO_TOKEN = "demo-token"
SHORTEST_CHECKED = 8


@dataclass
class Watch:
    """What one test let out so far: ``(surface, text)`` pairs and the tokens it used."""

    seen: list[tuple[str, str]] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    worlds: list[World] = field(default_factory=list)  # kept until the next test starts

    def saw(self, surface: str, data: str | bytes | None) -> None:
        if not data:
            return
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
        self.seen.append((surface, text))

    def tokens_in_play(self) -> set[str]:
        tokens = {DEMO_TOKEN, *self.tokens}
        if env_token := os.environ.get("BEEPER_ACCESS_TOKEN"):
            tokens.add(env_token)
        for world in self.worlds:
            tokens.add(world.token)  # a test may change it after building the world
            tokens.update(world.oauth.tokens)
            tokens.update(world.oauth.revoked)
        return {t for t in tokens if len(t.strip()) >= SHORTEST_CHECKED}

    def sightings(self, extra: Iterable[tuple[str, str]] = ()) -> list[str]:
        """One line per surface that showed a token, the token masked to its last 4."""
        tokens = self.tokens_in_play()
        found: list[str] = []
        for surface, text in [*self.seen, *extra]:
            for token in tokens:
                if token in text:
                    found.append(f"{surface}: the token …{token[-4:]} appears in what it shows")
        return sorted({_masked(line, tokens) for line in found})


#: The watch of the test running now (one test at a time runs in this process).
current = Watch()


def saw(surface: str, data: str | bytes | None) -> None:
    """Report output a test observed by its own means (e.g. a pty read) to the guard."""
    current.saw(surface, data)


# --- Taps on the surfaces ----------------------------------------------------------------


def _tap_worlds() -> None:
    original = World.__post_init__

    def post_init(self: World) -> None:
        original(self)
        current.tokens.add(self.token)
        current.worlds.append(self)

    World.__post_init__ = post_init  # type: ignore[method-assign]


def _tap_capture_fixtures() -> None:
    original = pytest.CaptureFixture.readouterr

    def readouterr(self: pytest.CaptureFixture[Any]) -> Any:
        result = original(self)
        current.saw("stdout (read by the test)", result.out)
        current.saw("stderr (read by the test)", result.err)
        return result

    pytest.CaptureFixture.readouterr = readouterr  # type: ignore[method-assign]


def _tap_processes() -> None:
    original_init = subprocess.Popen.__init__
    original_communicate = subprocess.Popen.communicate

    def init(self: subprocess.Popen[Any], *args: Any, **kwargs: Any) -> None:
        env = kwargs.get("env") or {}
        if token := env.get("BEEPER_ACCESS_TOKEN"):
            current.tokens.add(token)
        original_init(self, *args, **kwargs)

    def communicate(self: subprocess.Popen[Any], *args: Any, **kwargs: Any) -> Any:
        out, err = original_communicate(self, *args, **kwargs)
        current.saw(f"stdout of {_program(self)}", out)
        current.saw(f"stderr of {_program(self)}", err)
        return out, err

    subprocess.Popen.__init__ = init  # type: ignore[method-assign]
    subprocess.Popen.communicate = communicate  # type: ignore[method-assign]


def _program(process: subprocess.Popen[Any]) -> str:
    args = process.args
    words = [str(a) for a in args] if isinstance(args, list | tuple) else str(args).split()
    return " ".join(Path(w).name if i == 0 else w for i, w in enumerate(words[:3]))


def _tap_app() -> None:
    from textual.app import App

    original_export = App.export_screenshot
    original_notify = App.notify
    original_run_test = App.run_test

    def export_screenshot(self: App[Any], *args: Any, **kwargs: Any) -> str:
        svg = original_export(self, *args, **kwargs)
        current.saw(f"screenshot of {type(self.screen).__name__}", svg)
        return svg

    def notify(self: App[Any], message: Any, *args: Any, **kwargs: Any) -> None:
        current.saw("notification", str(message))
        current.saw("notification title", str(kwargs.get("title", "")))
        original_notify(self, message, *args, **kwargs)

    @asynccontextmanager
    async def run_test(self: App[Any], *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        async with original_run_test(self, *args, **kwargs) as pilot:
            try:
                yield pilot
            finally:
                if self.is_running:
                    with suppress(Exception):  # an app already closing has nothing on view
                        self.export_screenshot()

    App.export_screenshot = export_screenshot  # type: ignore[method-assign]
    App.notify = notify  # type: ignore[method-assign]
    App.run_test = run_test  # type: ignore[method-assign]


def _files_that_must_not_hold_it(item: pytest.Item) -> Iterator[tuple[str, str]]:
    places: list[tuple[Path, bool]] = []
    if state := os.environ.get("XDG_STATE_HOME"):
        places.append((Path(state), False))
    tmp_path = getattr(item, "funcargs", {}).get("tmp_path")
    if isinstance(tmp_path, Path):
        places.append((tmp_path, True))
    for root, logs_only in places:
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            if logs_only and "log" not in path.name.lower():
                continue
            if path.is_file() and path.stat().st_size < 5_000_000:
                with suppress(OSError):
                    yield f"file {path.name}", path.read_text("utf-8", "replace")


def _masked(text: str, tokens: Iterable[str]) -> str:
    """``text`` with each token cut to its last 4 characters, so that the failure report
    that names a leak does not leak it again."""
    for token in sorted(tokens, key=len, reverse=True):
        text = text.replace(token, "…" + token[-4:])
    return text


# --- The plugin ------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "shows_token(why): the test's subject is a token shown on purpose"
    )
    _tap_worlds()
    _tap_capture_fixtures()
    _tap_processes()
    _tap_app()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    global current
    current = Watch()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if call.when != "call" or report.failed or item.get_closest_marker("shows_token"):
        return
    captured = [(f"captured {name}", text) for name, text in report.sections]
    found = current.sightings([*captured, *_files_that_must_not_hold_it(item)])
    if found:
        report.outcome = "failed"
        tokens = current.tokens_in_play()
        report.sections = [(name, _masked(text, tokens)) for name, text in report.sections]
        report.longrepr = "An access token reached the output (token guard):\n" + "\n".join(
            f"  {line}" for line in found
        )
