"""The bridges view: each bridge's accounts' health beside its own status, how many accounts it
takes in words, Enter shows its accounts, ``a`` adds one, and "an iMessage account"."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from beeper_tui.sim import build_demo_world
from beeper_tui.tui.accounts.account_words import an_account_of
from beeper_tui.tui.accounts.bridge_table import BridgeTable
from beeper_tui.tui.login.screen import LoginWizardScreen
from tests.support import bridge_selected, demo_app, heard, loaded, shown_text, wait_for

WHATSAPP = "local-whatsapp"
WHATSAPP_FINE = "local-whatsapp_ba_EvYDBBsZbRQAy3UOSWqG0LuTVkc"


def cells_of(table: BridgeTable, bridge_id: str) -> dict[str, str]:
    """What the row of ``bridge_id`` shows, by column key."""
    row = table.get_row(bridge_id)
    return {key: str(cell) for key, cell in zip(table.column_keys, row, strict=True)}


async def test_a_connected_bridge_with_broken_accounts_says_how_many_beside_its_status() -> None:
    world = build_demo_world()
    world.set_account_status(WHATSAPP_FINE, "disconnected", "Phone unreachable")
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("b")
        await pilot.pause()
        table = screen.bridge_table
        whatsapp = cells_of(table, WHATSAPP)
        assert whatsapp["accounts"] == "✖ 2 of 3 need attention"
        assert whatsapp["status"] == "connected", "no ✔ while its accounts need attention"
        slack = cells_of(table, "slackgo")
        assert slack["accounts"] == "✖ 1 of 3 needs attention"
        discord = cells_of(table, "discordgo")
        assert (discord["accounts"], discord["status"]) == ("✔ connected", "✔ connected")
        assert cells_of(table, "telegram")["accounts"] == "↻ all 2 working"
        assert cells_of(table, "sh-irc")["accounts"] == "no accounts"
        assert cells_of(table, "twitter")["status"] == "✖ at its limit"
        assert "Account limit reached" in cells_of(table, "twitter")["says"]


async def test_how_many_accounts_a_bridge_takes_is_said_in_words() -> None:
    async with demo_app(build_demo_world()).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("b")
        await pilot.pause()
        table = screen.bridge_table
        assert cells_of(table, "matrix")["takes"] == "one account"
        assert cells_of(table, WHATSAPP)["takes"] == "several accounts"
        headings = [str(column.label) for column in table.columns.values()]
        assert "Several" not in headings and "Takes" in headings


async def test_at_80_columns_the_bridges_view_keeps_health_status_and_what_it_takes() -> None:
    async with demo_app(build_demo_world()).run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("b")
        await pilot.pause()
        table = screen.bridge_table
        assert table.column_keys[:4] == ["bridge", "accounts", "status", "takes"]
        assert table.virtual_size.width <= table.scrollable_content_region.width, "no h-scroll"
        assert cells_of(table, "slackgo")["accounts"] == "✖ 1 of 3 needs attention"
        await pilot.resize_terminal(200, 50)
        await wait_for(pilot, lambda: "says" in table.column_keys)
        assert "Account limit reached: remove" in cells_of(table, "twitter")["says"]


async def test_enter_on_a_bridge_shows_its_accounts_and_esc_shows_all_again() -> None:
    world = build_demo_world()
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await bridge_selected(pilot, screen, "slackgo")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not screen.on_bridges_view and screen.table.has_focus)
        shown = screen.table.shown_rows
        assert len(shown) == 3 and {row.bridge_id for row in shown} == {"slackgo"}
        assert "showing 3 of 17 · bridge: Slack" in shown_text(screen.header, 200)
        # said first, so that a narrow terminal cuts the counts, not why rows are missing
        assert screen.header.summary.plain.startswith("showing 3 of 17 · bridge: Slack")
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(screen.table.shown_rows) == len(world.accounts))
        assert "bridge:" not in shown_text(screen.header, 200)


async def test_a_on_a_bridge_s_accounts_adds_one_to_that_bridge() -> None:
    async with demo_app(build_demo_world()).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await bridge_selected(pilot, screen, "slackgo")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.table.bridge_filter is not None)
        await pilot.press("a")  # no picker: the bridge shown
        wizard = await wizard_opened(pilot)
        assert (wizard.login_target.bridge_id, wizard.login_target.login_id) == ("slackgo", None)


async def test_enter_on_a_bridge_without_accounts_adds_one() -> None:
    async with demo_app(build_demo_world()).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await bridge_selected(pilot, screen, "local-linkedin")
        await pilot.press("enter")
        wizard = await wizard_opened(pilot)
        assert wizard.login_target.bridge_id == "local-linkedin"


async def wizard_opened(pilot: Pilot[Any]) -> LoginWizardScreen:
    """Wait until a login wizard is on the screen stack (its flow picker may be above it)."""

    def wizard() -> LoginWizardScreen | None:
        stack = pilot.app.screen_stack
        return next((s for s in stack if isinstance(s, LoginWizardScreen)), None)

    await wait_for(pilot, lambda: wizard() is not None)
    opened = wizard()
    assert opened is not None
    return opened


def test_names_take_the_article_they_sound_like() -> None:
    assert an_account_of("iMessage") == "an iMessage account"
    assert an_account_of("WhatsApp") == "a WhatsApp account"
    assert an_account_of("X") == "an X account"
    assert an_account_of("IRC") == "an IRC account"
    assert an_account_of("Instagram") == "an Instagram account"
    assert an_account_of("LinkedIn") == "a LinkedIn account"
    assert an_account_of("Uber") == "a Uber account"


async def test_a_refusal_names_the_network_with_its_article() -> None:
    app = demo_app(build_demo_world())
    said = heard(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await bridge_selected(pilot, screen, "imessage")
        await pilot.press("a")
        await wait_for(pilot, lambda: any("Can't add an iMessage account now" in n for n in said))
