"""The key bar: the keys that matter on this screen, on one line that fits any width."""

from __future__ import annotations

from beeper_tui.sim import build_demo_world
from beeper_tui.tui.widgets.footer import Footer, KeyShown, fit_keys
from tests.support import demo_app, loaded


def key(display: str, description: str, action: str = "") -> KeyShown:
    return KeyShown(display, display, description, action or description.lower(), True)


def test_the_last_keys_give_way_but_never_help_or_quit() -> None:
    keys = [
        key("r", "Reconnect"),
        key("a", "Add"),
        key("/", "Filter"),
        key("q", "Quit", "app.quit"),
        key("?", "Help", "app.help"),
    ]
    assert fit_keys(keys, 200) == keys
    fitted = fit_keys(keys, 41)
    assert [k.display for k in fitted] == ["r", "a", "q", "?"]
    assert fitted[-1].description == "more keys"
    assert sum(k.width for k in fitted) <= 41
    assert [k.display for k in fit_keys(keys, 40)] == ["r", "q", "?"]


async def test_at_80_columns_no_key_is_cut_and_help_offers_the_rest() -> None:
    async with demo_app(build_demo_world()).run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        bar = screen.query_one(Footer)
        line = bar.render().plain
        assert len(line) <= 80
        shown = bar.visible_keys()
        for k in shown:
            assert f" {k.display} {k.description} " in line
        assert {"Reconnect", "Quit", "more keys"} <= {k.description for k in shown}
        assert len(shown) < len(bar.shown_keys())
        assert "^p palette" in line


async def test_wide_screens_show_every_key_and_signals_only_repaint() -> None:
    async with demo_app(build_demo_world()).run_test(size=(200, 40)) as pilot:
        screen = await loaded(pilot)
        bar = screen.query_one(Footer)
        assert bar.visible_keys() == bar.shown_keys()
        assert "Help" in bar.render().plain
        screen.refresh_bindings()
        await pilot.pause()
        assert not bar.children, "one widget draws every key"


async def test_a_click_on_a_key_presses_it() -> None:
    async with demo_app(build_demo_world()).run_test(size=(200, 40)) as pilot:
        screen = await loaded(pilot)
        bar = screen.query_one(Footer)
        line = bar.render().plain
        x = line.index(" b Bridges ") + 2
        await pilot.click(Footer, offset=(x, 0))
        await pilot.pause()
        assert screen.on_bridges_view
