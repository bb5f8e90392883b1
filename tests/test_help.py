"""`?` shows every key of the screen below, grouped, with what each does."""

from __future__ import annotations

from typing import Any

import pytest

from beeper_tui.sim import build_demo_world
from beeper_tui.tui.accounts.pickers import AccountMenuDialog
from beeper_tui.tui.accounts.screen import AccountsScreen
from beeper_tui.tui.screens.help import HelpDialog
from tests.support import demo_app, loaded, screen_of, shown_text, wait_for


async def test_help_lists_every_key_of_the_accounts_screen_grouped() -> None:
    async with demo_app(build_demo_world()).run_test(size=(120, 44)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("question_mark")
        help_screen = await screen_of(pilot, HelpDialog)
        text = shown_text(help_screen.query_one("#help-text"), 80)
        for heading in ("Accounts", "Moving in the list", "Everywhere"):
            assert heading in text
        for binding in AccountsScreen.BINDINGS:
            if binding.action.startswith("show_view") or binding.action == "app.quit":
                continue
            assert (binding.tooltip or binding.description) in text
        assert "Quit" in text
        assert "↑ k" in text and "Previous account" in text
        assert "What to do with this account" in text  # Enter, from the list itself
        assert "Command palette" in text
        assert "Copy selected text" not in text
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: pilot.app.screen is screen)


async def test_help_over_a_dialog_shows_the_dialogs_keys() -> None:
    async with demo_app(build_demo_world()).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        await screen_of(pilot, AccountMenuDialog)
        pilot.app.push_screen(HelpDialog())
        help_screen = await screen_of(pilot, HelpDialog)
        text = shown_text(help_screen.query_one("#help-text"), 80)
        assert "Close" in text
        assert "Reconnect all" not in text  # the screen below the dialog is not in reach
        await pilot.press("escape")
        await screen_of(pilot, AccountMenuDialog)


def test_help_screen(snap_compare: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AccountsScreen, "clock", lambda self: 1000.0)

    async def open_help(pilot: Any) -> None:
        await loaded(pilot)
        await pilot.press("question_mark")
        await screen_of(pilot, HelpDialog)

    app = demo_app(build_demo_world())
    assert snap_compare(app, terminal_size=(120, 44), run_before=open_help)
