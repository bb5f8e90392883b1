"""The accounts screen at the sizes people use (80×24, 100×30, 120×40, 200×60): the reason an
account is broken stays readable, the detail pane moves out of its way, IDs are cut in the
middle and copied whole."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from beeper_tui.sim import build_demo_world
from beeper_tui.tui.accounts.account_columns import COLUMNS, column_widths, with_target
from beeper_tui.tui.accounts.screen import AccountsScreen
from tests.support import demo_app, loaded, shown_text, table_lines, wait_for

BLUESKY = "bluesky_did-plc-4xq2mzl7n3ukdc"
WHATSAPP = "local-whatsapp_ba_Qm9uZGF5TW9ybmluZ0NvZmZlZQ"
SIZES = [(80, 24), (100, 30), (120, 40), (200, 60)]


def column_cells(screen: AccountsScreen) -> dict[str, int]:
    """The width of each column drawn now, by key."""
    return {column.key: width for column, width in screen.table.shown_columns()}


def line_of(screen: AccountsScreen, person: str) -> str:
    return next(line for line in table_lines(screen.table) if person in line)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_health_network_person_and_the_start_of_the_status_fit_every_size(
    size: tuple[int, int],
) -> None:
    async with demo_app(build_demo_world()).run_test(size=size) as pilot:
        screen = await loaded(pilot)
        header = table_lines(screen.table)[0]
        for heading in ("Health", "Network", "Person", "Status"):
            assert heading in header
        cells = column_cells(screen)
        assert cells["person"] >= 12 and cells["status"] >= 28
        line = line_of(screen, "Alex Chen")
        assert "✖ needs attention" in line and "Bluesky" in line
        assert "Signed out: the app" in line
        width = screen.table.scrollable_content_region.width
        assert all(len(text) <= width for text in table_lines(screen.table))


async def test_wide_screens_give_the_extra_width_to_status() -> None:
    async with demo_app(build_demo_world()).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        at_120 = column_cells(screen)
        assert "Signed out: the app password was revoked" in line_of(screen, "Alex Chen")
        await pilot.resize_terminal(200, 60)
        await wait_for(pilot, lambda: column_cells(screen) != at_120)
        at_200 = column_cells(screen)
        assert at_200["status"] - at_120["status"] >= 20  # the pane moved beside it
        assert at_200["health"] == at_120["health"] and at_200["runs"] == at_120["runs"]
        line = line_of(screen, "Priya Sharma")
        assert "Can't reach Google Messages on your phone: open it and check" in line


def test_status_is_served_first_and_runs_is_left_out_where_it_would_squeeze() -> None:
    *_, person, status, runs = column_widths(80)
    assert runs == 0 and person >= 12 and status >= 28
    assert column_widths(100)[3] >= 40 and column_widths(120)[4] == 11
    assert column_widths(200)[3] > 100
    for width in range(60, 240):
        assert sum(w + 1 for w in column_widths(width) if w) + 2 <= max(width, 60)


async def test_status_is_cut_at_a_word_end_with_an_ellipsis() -> None:
    async with demo_app(build_demo_world()).run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        line = line_of(screen, "Priya Sharma")
        assert "Can't reach Google Messages…" in line  # not "…Messages on y…"
        assert "Signed out: the app…" in line_of(screen, "Alex Chen")


async def test_the_detail_pane_sits_beside_below_or_behind_i_by_size() -> None:
    async with demo_app(build_demo_world()).run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        detail = screen.detail
        assert not detail.display, "hidden at 80×24: the list keeps the room"
        full = screen.table.scrollable_content_region.width
        assert full >= 78
        await pilot.press("i")
        await wait_for(pilot, lambda: detail.display and detail.region.height > 0)
        assert detail.region.y > screen.table.region.y, "it opens below the list"
        assert screen.table.scrollable_content_region.width >= 76
        await pilot.press("i")
        await wait_for(pilot, lambda: not detail.display)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.press("i")  # asked for: shown whatever the size says
        await wait_for(pilot, lambda: detail.display)
        assert detail.region.y > screen.table.region.y
        await pilot.resize_terminal(200, 60)
        await wait_for(pilot, lambda: detail.region.x > screen.table.region.x)
        assert detail.region.y == screen.table.region.y, "beside the list on a wide screen"
        assert screen.table.scrollable_content_region.width >= 140


async def test_at_120x40_the_pane_is_below_the_list_without_asking() -> None:
    async with demo_app(build_demo_world()).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await pilot.pause()
        assert screen.detail.display and screen.detail.region.y > screen.table.region.y
        assert screen.table.scrollable_content_region.width >= 118


async def detail_lines(pilot: Pilot[object], screen: AccountsScreen, account_id: str) -> str:
    """The detail pane's text as drawn at its own width, once ``account_id`` is loaded."""
    assert screen.table.select(account_id)
    body = screen.detail.query_one("#detail-body")

    def text() -> str:
        return shown_text(body, body.content_region.width)

    start = account_id[:12]  # an ID cut in the middle keeps its start
    await wait_for(pilot, lambda: start in text() and "Removable" in text())
    return text()


async def test_the_detail_pane_says_it_in_words_first_and_each_text_once() -> None:
    async with demo_app(build_demo_world()).run_test(size=(200, 60)) as pilot:
        screen = await loaded(pilot)
        text = await detail_lines(pilot, screen, WHATSAPP)
        words = text.index("✖ needs attention — must sign in again")
        assert words < text.index("reconnect_required"), "the API value comes second"
        text = await detail_lines(pilot, screen, BLUESKY)
        assert "✖ needs attention — disconnected" in text
        assert text.count("Signed out: the app password was revoked") == 1
        assert "✖ signed out" in text and "logged_out" in text
        assert text.count("Bluesky") == 1, "network, bridge name: said once"
        assert "same as the Login ID" in text


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)], ids=["80", "120", "200"])
async def test_ids_are_cut_in_the_middle_never_wrapped_and_c_copies_them_whole(
    size: tuple[int, int],
) -> None:
    app = demo_app(build_demo_world())
    async with app.run_test(size=size) as pilot:
        screen = await loaded(pilot)
        if not screen.detail.display:
            await pilot.press("i")
            await wait_for(pilot, lambda: screen.detail.display)
        await pilot.pause()
        text = await detail_lines(pilot, screen, WHATSAPP)
        line = next(line for line in text.splitlines() if "Account ID" in line)
        shown_id = line.split("Account ID", 1)[1].split()[0]
        assert shown_id.startswith("local-whatsapp_ba_")
        if shown_id != WHATSAPP:
            head, tail = shown_id.split("…")
            assert WHATSAPP.startswith(head) and WHATSAPP.endswith(tail) and len(tail) >= 4
        tail_only = WHATSAPP[-10:]
        assert not any(row.strip().startswith(tail_only) for row in text.splitlines())
        await pilot.press("c")
        await wait_for(pilot, lambda: app.clipboard == WHATSAPP)


def test_a_target_column_joins_after_health_and_status_keeps_its_room() -> None:
    columns = with_target(COLUMNS)
    assert [c.key for c in columns][:3] == ["health", "target", "network"]
    assert with_target(columns) == columns
    for width in (80, 120, 200):
        widths = dict(zip([c.key for c in columns], column_widths(width, columns), strict=True))
        assert widths["target"] >= 8 and widths["person"] >= 12
        assert widths["status"] >= (24 if width == 80 else 28)  # at 80 the target costs 2
