"""The account actions are in the command palette, in words ("Reconnect WhatsApp — …")."""

from __future__ import annotations

from typing import Any

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from beeper_tui.sim import build_demo_world
from beeper_tui.tui.accounts.commands import AccountCommands
from beeper_tui.tui.login.screen import LoginWizardScreen
from tests.support import demo_app, loaded, wait_for

SLACK_OSC = "slackgo.T03OSC00002-U04JRIVERA9"


async def type_query(pilot: Any, query: str, first_hit: str) -> None:
    """Type into the open palette (all at once: the palette is slow to type into key by key)
    and wait until its highlighted hit is ``first_hit``."""
    palette = pilot.app.screen
    palette.query_one(Input).value = query
    hits = palette.query_one(CommandList)

    def highlighted() -> str:
        if hits.highlighted is None:
            return ""
        prompt = hits.get_option_at_index(hits.highlighted).prompt
        return str(getattr(prompt, "plain", prompt)).split("\n")[0]  # the title, not the help

    await wait_for(pilot, lambda: highlighted() == first_hit)


async def test_palette_commands_name_each_account_in_words() -> None:
    async with demo_app(build_demo_world()).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        titles = [c.title for c in screen.palette_commands()]
        assert "Reconnect Slack — Jamie Rivera (Open Source Collective)" in titles
        assert "Remove WhatsApp — [bold]Work[/bold] phone 📱" in titles
        assert "Copy the account ID of Google Messages — Priya Sharma" in titles
        assert "Add a LinkedIn account" in titles
        assert "Add an X account" not in titles  # at its limit
        assert "Reconnect all accounts that need attention" in titles


async def test_search_hits_show_names_as_typed_not_as_markup() -> None:
    async with demo_app(build_demo_world()).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        provider = AccountCommands(screen)
        hits = [hit async for hit in provider.search("remove work phone")]
        assert hits, "the markup-named account must be findable"
        assert any("[bold]Work[/bold]" in hit.text for hit in hits)
        assert any("[bold]" in hit.match_display.plain for hit in hits)


async def test_words_rank_before_fuzzy_guesses() -> None:
    async with demo_app(build_demo_world()).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        hits = [hit async for hit in AccountCommands(screen).search("reconnect whats")]
        assert hits and all(hit.text.startswith("Reconnect WhatsApp") for hit in hits)
        fuzzy = [hit async for hit in AccountCommands(screen).search("rcnnct prya")]
        assert fuzzy[0].text == "Reconnect Google Messages — Priya Sharma"


async def test_choosing_copy_from_the_palette_copies_that_accounts_id() -> None:
    async with demo_app(build_demo_world()).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
        await type_query(
            pilot,
            "copy id open source",
            "Copy the account ID of Slack — Jamie Rivera (Open Source Collective)",
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.clipboard == SLACK_OSC)


@pytest.mark.parametrize("query", ["reconnect slack open source"])
async def test_reconnect_from_the_palette_opens_the_wizard_for_that_account(query: str) -> None:
    async with demo_app(build_demo_world()).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
        await type_query(pilot, query, "Reconnect Slack — Jamie Rivera (Open Source Collective)")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, LoginWizardScreen))
        assert pilot.app.screen.login_target.account_id == SLACK_OSC
