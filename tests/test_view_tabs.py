"""The bar naming the accounts screen's two views: a click on a name shows that view, ``b``
switches too, and the bar always marks the view shown (bright name, underline below it)."""

from __future__ import annotations

from beeper_tui.sim import build_demo_world
from beeper_tui.tui.accounts.bridge_table import BridgeTable
from beeper_tui.tui.accounts.view_tabs import ViewTabs
from tests.support import demo_app, loaded, wait_for


def underlined(tabs: ViewTabs) -> str:
    """The name above the underline's bright part."""
    names, bar = tabs.render_line(0), tabs.render_line(1)
    bright = tabs.get_component_rich_style("view-tabs--bar").color
    cells, x = [], 0
    for segment in bar:
        if segment.style is not None and segment.style.color == bright:
            cells.extend(range(x, x + len(segment.text)))
        x += len(segment.text)
    return names.text[min(cells) : max(cells) + 1]


async def test_a_click_on_a_name_shows_that_view_and_the_bar_follows() -> None:
    async with demo_app(build_demo_world()).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        tabs = screen.views
        assert underlined(tabs) == "Accounts"

        await pilot.click(ViewTabs, offset=(13, 0))  # on "Bridges"
        await wait_for(pilot, lambda: screen.on_bridges_view, what="the bridges view")
        await wait_for(pilot, lambda: isinstance(screen.focused, BridgeTable), what="focus")
        assert screen.query_one("#bridges", BridgeTable).display
        assert underlined(tabs) == "Bridges"

        await pilot.click(ViewTabs, offset=(3, 1))  # on the underline below "Accounts"
        await wait_for(pilot, lambda: not screen.on_bridges_view, what="the accounts view")
        assert screen.focused is screen.table
        assert underlined(tabs) == "Accounts"


async def test_b_switches_views_and_the_bar_marks_the_one_shown() -> None:
    async with demo_app(build_demo_world()).run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("b")
        await wait_for(pilot, lambda: screen.on_bridges_view, what="the bridges view")
        assert underlined(screen.views) == "Bridges"
        await pilot.press("b")
        await wait_for(pilot, lambda: not screen.on_bridges_view, what="the accounts view")
        assert underlined(screen.views) == "Accounts"


async def test_the_filter_box_belongs_to_the_accounts_view() -> None:
    async with demo_app(build_demo_world()).run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("slash", *"slack", "enter")
        box = screen.filter_input
        await wait_for(pilot, lambda: box.display and box.region.height == 1, what="the box")

        await pilot.press("b")
        await wait_for(pilot, lambda: screen.on_bridges_view, what="the bridges view")
        await pilot.pause()
        assert not box.display and box.region.height == 0
        assert screen.bridge_table.region.y == 5  # under the bar and the hint: no box line

        await pilot.press("b")
        await wait_for(pilot, lambda: not screen.on_bridges_view, what="the accounts view")
        await wait_for(pilot, lambda: box.region.height == 1, what="the box back")
        assert box.value == "slack"
