"""``beeper-tui`` starts without the cyclic garbage collector and turns it back on: after the
first frame in the TUI, at once for headless commands. Importing the package pauses nothing."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from beeper_tui import gc_pause
from beeper_tui.sim import build_demo_world
from tests.support import demo_app, loaded


@pytest.fixture
def collection_restored() -> Iterator[None]:
    yield
    gc_pause._paused = False
    gc.enable()
    gc.unfreeze()


async def test_tui_collects_again_once_its_first_frame_is_shown(collection_restored: None) -> None:
    gc_pause.pause_collection()
    assert not gc.isenabled()
    async with demo_app(build_demo_world()).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        assert screen.table.all_rows
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0, "what start-up built is kept out of later passes"


def test_headless_command_collects_from_the_start() -> None:
    code = (
        "import gc, io, sys\n"
        "from beeper_tui.startup import main\n"
        "sys.stdout = io.StringIO()\n"
        "code = main(['status', '--demo'])\n"
        "sys.stdout = sys.__stdout__\n"
        "print(code, gc.isenabled())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["1", "True"], result.stderr


def test_importing_the_package_pauses_nothing(collection_restored: None) -> None:
    import beeper_tui.cli  # noqa: F401

    frozen = gc.get_freeze_count()
    gc_pause.resume_collection()
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
