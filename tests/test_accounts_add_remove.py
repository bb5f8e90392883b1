"""`a` adds an account (refused, with the reason, where the bridge can't take one); `d` removes
a login, offering only its scopes and naming every account it takes along."""

from __future__ import annotations

from textual.widgets import Button, OptionList

from beeper_tui.sim import build_demo_world
from beeper_tui.tui.accounts.pickers import AccountMenuDialog, BridgePickerDialog
from beeper_tui.tui.accounts.remove_login import RemoveLoginDialog
from beeper_tui.tui.login.screen import LoginWizardScreen
from tests.support import bridge_selected, demo_app, heard, loaded, screen_of, shown_text, wait_for

SLACK_OSC = "slackgo.T03OSC00002-U04JRIVERA9"
SLACK_ACME = "slackgo.T01ACME0001-U02JAMIE001"
SLACK_LOGIN = "T01ACME0001-U02JAMIE001"


async def test_a_on_a_bridge_at_its_limit_is_refused_with_its_reason() -> None:
    world = build_demo_world()
    app = demo_app(world)
    said = heard(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await bridge_selected(pilot, screen, "twitter")
        await pilot.press("a")
        await pilot.pause()
        assert pilot.app.screen is screen, "no wizard for a bridge at its limit"
        assert any("Can't add an X account" in n and "Account limit reached" in n for n in said)
        assert world.sessions == {}


async def test_home_and_end_move_to_the_first_and_last_bridge() -> None:
    async with demo_app(build_demo_world()).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("b")
        await pilot.pause()
        table = screen.bridge_table
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0


async def test_enter_on_an_available_bridge_opens_the_wizard_for_a_new_account() -> None:
    world = build_demo_world()
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await bridge_selected(pilot, screen, "sh-irc")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, LoginWizardScreen))
        opened = pilot.app.screen.login_target  # what the wizard logs into
        assert (opened.bridge_id, opened.login_id, opened.account_id) == ("sh-irc", None, None)


async def test_a_on_the_accounts_view_picks_among_bridges_that_can_take_one() -> None:
    world = build_demo_world()
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        picker = await screen_of(pilot, BridgePickerDialog)
        options = picker.query_one(OptionList)
        enabled = [options.get_option_at_index(i) for i in range(options.option_count)]
        ready = {o.id for o in enabled if not o.disabled}
        closed = {o.id for o in enabled if o.disabled}
        assert {"local-linkedin", "sh-irc", "telegram"} <= ready
        assert closed == {"twitter", "imessage", "googlechat", "matrix"}
        assert "limit reached" in str(options.get_option("twitter").prompt)
        assert "takes one account" in str(options.get_option("matrix").prompt)
        options.highlighted = [o.id for o in enabled].index("sh-irc")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, LoginWizardScreen))
        opened = pilot.app.screen.login_target  # what the wizard logs into
        assert (opened.bridge_id, opened.login_id, opened.account_id) == ("sh-irc", None, None)


async def test_d_offers_only_the_logins_scopes_and_names_every_affected_account() -> None:
    world = build_demo_world()
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        screen.table.select(SLACK_OSC)
        await pilot.press("d")
        dialog = await screen_of(pilot, RemoveLoginDialog)
        scopes = [b.name for b in dialog.query(Button) if b.has_class("scope")]
        assert scopes == ["all-devices"]  # a cloud bridge: no "this device"
        listed = shown_text(dialog.query_one("#remove-accounts Static"), 100)
        assert "Jamie Rivera (Open Source Collective)" in listed
        assert "Jamie Rivera (Acme Corp)" in listed
        assert "Freelance" not in listed  # another login of the same bridge
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert SLACK_ACME in world.accounts


async def test_d_on_a_local_bridge_offers_this_device_and_all_devices() -> None:
    world = build_demo_world()
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        screen.table.select("local-signal_ba_U2lnbmFsTm9hTGV2aUFjY3Q")
        await pilot.press("d")
        dialog = await screen_of(pilot, RemoveLoginDialog)
        buttons = [b for b in dialog.query(Button) if b.has_class("scope")]
        assert [b.name for b in buttons] == ["current-device", "all-devices"]
        assert [str(b.label) for b in buttons] == [
            "Remove from this device",
            "Remove from all devices",
        ]


async def test_removing_a_login_reports_the_accounts_it_took() -> None:
    world = build_demo_world()
    app = demo_app(world)
    said = heard(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        before = len(screen.table.all_rows)
        screen.table.select(SLACK_OSC)
        await pilot.press("d")
        dialog = await screen_of(pilot, RemoveLoginDialog)
        dialog.query_one("#scope-0", Button).press()
        await wait_for(pilot, lambda: any("Removed" in n for n in said))
        removed = next(n for n in said if n.startswith("Removed"))
        assert "all devices" in removed
        assert SLACK_OSC in removed and SLACK_ACME in removed
        await wait_for(pilot, lambda: len(screen.table.all_rows) == before - 2)
        assert screen.table.row_for(SLACK_ACME) is None


async def test_remove_failure_is_a_message_not_a_traceback() -> None:
    world = build_demo_world()
    app = demo_app(world)
    said = heard(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        screen.table.select(SLACK_OSC)
        await pilot.press("d")
        dialog = await screen_of(pilot, RemoveLoginDialog)
        world.faults.add("status", path="/v1/bridges/slackgo/logins", method="POST", status=409)
        dialog.query_one("#scope-0", Button).press()
        await wait_for(pilot, lambda: any("Couldn't remove" in n for n in said))
        assert pilot.app.screen is screen
        assert SLACK_ACME in world.accounts


async def test_copy_id_puts_the_account_id_on_the_clipboard() -> None:
    world = build_demo_world()
    app = demo_app(world)
    said = heard(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        screen.table.select(SLACK_OSC)
        await pilot.press("c")
        assert pilot.app.clipboard == SLACK_OSC
        assert any(SLACK_OSC in n for n in said)


async def test_enter_menu_offers_the_account_actions() -> None:
    world = build_demo_world()
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        screen.table.select(SLACK_OSC)
        await pilot.press("enter")
        menu = await screen_of(pilot, AccountMenuDialog)
        options = menu.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["reconnect", "remove", "copy_id", "details"]
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: pilot.app.clipboard == SLACK_OSC)
