"""`r` reconnects the selected account through the login wizard; `R` walks every broken one."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, OptionList

from beeper_tui.api.models import Health
from beeper_tui.sim import build_demo_world
from beeper_tui.tui.accounts.reconnect_all import NextReconnectDialog, ReconnectAllSummaryDialog
from beeper_tui.tui.login.flow_picker import FlowPickerDialog
from beeper_tui.tui.login.screen import LoginWizardScreen
from tests.support import demo_app, heard, home, loaded, screen_of, shown_text, wait_for

IMESSAGE = "imessage_ba_aU1lc3NhZ2VLaW1QYXJrTWFj"
SIGNAL = "local-signal_ba_U2lnbmFsTm9hTGV2aUFjY3Q"
GMESSAGES = "local-gmessages_ba_R01lc3NhZ2VzUHJpeWFTaGFy"


@pytest.fixture(autouse=True)
def _quick_wizard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LoginWizardScreen, "DONE_DELAY", 0.05)


def only_broken(world: Any, *account_ids: str) -> None:
    """Every account connected except these, which need a reconnect."""
    for account_id in world.accounts:
        world.set_account_status(account_id, "connected")
    for account_id in account_ids:
        world.set_account_status(account_id, "reconnect_required", "Signed out")


async def scan_when_shown(pilot: Any, world: Any) -> None:
    """The phone side: scan the displayed code as soon as the wizard shows one."""
    await wait_for(pilot, lambda: world.scan() > 0)


async def test_r_reconnects_with_the_accounts_login_and_account_ids() -> None:
    world = build_demo_world()
    world.backfill_seconds = 0.0
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        count = len(screen.table.all_rows)
        assert screen.table.select(IMESSAGE)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, LoginWizardScreen))
        opened = pilot.app.screen.login_target  # what the wizard logs into
        assert (opened.bridge_id, opened.account_id) == ("imessage", IMESSAGE)
        assert opened.login_id == world.accounts[IMESSAGE].login_id
        await wait_for(pilot, lambda: world.sessions)
        session = next(iter(world.sessions.values()))
        assert (session.login_id, session.account_id) == (opened.login_id, IMESSAGE)
        await scan_when_shown(pilot, world)
        await wait_for(pilot, lambda: pilot.app.screen is screen)
        await wait_for(pilot, lambda: screen.table.row_for(IMESSAGE).status == "connected")
        assert len(screen.table.all_rows) == count
        assert screen.table.mark_note(IMESSAGE) == "reconnected just now"
        line = next(x for x in map(lambda r: r.text, _lines(screen)) if "Kim Park" in x)
        assert line.lstrip().startswith("●")
        assert world.open_session_count == 0


def _lines(screen: Any) -> list[Any]:
    table = screen.table
    return [table.render_line(y) for y in range(table.size.height)]


async def test_a_second_reconnect_preselects_the_flow_that_worked_and_prefills_the_phone() -> None:
    """The phone flow worked for this account once: the next reconnect's picker highlights it
    (marked "last used"), and its phone field starts with the account's own number."""
    world = build_demo_world()
    whatsapp = next(
        a.account_id for a in world.accounts.values() if a.status == "reconnect_required"
        and a.bridge_id == "local-whatsapp"
    )  # fmt: skip
    number = world.accounts[whatsapp].user["phoneNumber"]
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        for attempt in ("first", "second"):
            screen.table.select(whatsapp)
            await pilot.press("r")
            picker = await screen_of(pilot, FlowPickerDialog)
            options = picker.query_one(OptionList)
            highlighted = str(options.get_option_at_index(options.highlighted or 0).prompt)
            if attempt == "first":
                assert highlighted.startswith("QR code") and "last used" not in highlighted
                await pilot.press("down")
            else:
                assert highlighted.startswith("Phone number  (last used)"), highlighted
            await pilot.press("enter")
            wizard = await screen_of(pilot, LoginWizardScreen)
            await wait_for(pilot, lambda: isinstance(pilot.app.focused, Input))
            assert pilot.app.focused.value == number, "the account's own phone number"
            await pilot.press("enter")
            await wait_for(pilot, lambda w=wizard: w.step_number == 2)
            await scan_when_shown(pilot, world)
            await wait_for(pilot, lambda: pilot.app.screen is screen)
        assert world.open_session_count == 0


async def test_R_reconnects_each_broken_account_with_skip_and_a_summary() -> None:
    world = build_demo_world()
    world.backfill_seconds = 0.0
    only_broken(world, IMESSAGE, SIGNAL, GMESSAGES)
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        broken = [r.account_id for r in screen.table.all_rows if r.health is Health.ATTENTION]
        assert broken == [GMESSAGES, IMESSAGE, SIGNAL]
        await pilot.press("R")
        await screen_of(pilot, NextReconnectDialog)
        assert "Google Messages — Priya Sharma (1 of 3)" in shown_text(
            pilot.app.screen.query_one("#next-title"), 120
        )
        await pilot.press("enter")
        await scan_when_shown(pilot, world)  # QR
        await scan_when_shown(pilot, world)  # then the emoji
        await screen_of(pilot, NextReconnectDialog)
        assert pilot.app.screen.row.account_id == IMESSAGE
        await pilot.press("s")
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "position", 0) == 3)
        await pilot.press("enter")
        await scan_when_shown(pilot, world)
        await screen_of(pilot, ReconnectAllSummaryDialog)
        summary = shown_text(pilot.app.screen.query_one("#summary-text"), 100)
        assert "Fixed 2 · skipped 1 · failed 0" in summary
        assert "Kim Park" in summary.split("Skipped")[1]
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.screen is screen)
        await wait_for(pilot, lambda: screen.table.row_for(SIGNAL).status == "connected")
        assert screen.table.row_for(GMESSAGES).status == "connected"
        assert screen.table.row_for(IMESSAGE).status == "reconnect_required"
        assert world.open_session_count == 0


async def test_R_escape_stops_and_reports_the_accounts_not_reached() -> None:
    world = build_demo_world()
    only_broken(world, IMESSAGE, SIGNAL)
    async with demo_app(world).run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("R")
        await screen_of(pilot, NextReconnectDialog)
        await pilot.press("escape")
        await screen_of(pilot, ReconnectAllSummaryDialog)
        summary = shown_text(pilot.app.screen.query_one("#summary-text"), 100)
        assert "Fixed 0" in summary and "Not reached" in summary
        assert "Kim Park" in summary and "נועה" in summary
        assert world.sessions == {}


async def test_R_with_nothing_broken_says_so() -> None:
    world = build_demo_world()
    only_broken(world)
    app = demo_app(world)
    said = heard(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("R")
        await wait_for(pilot, lambda: any("No account needs attention" in n for n in said))
        assert pilot.app.screen is home(pilot)
        assert screen.table.all_rows
