"""The cookies step as a person meets it: the page to open stays in view, the paste is masked
like the values, a new paste replaces the last one, and the checklist never claims values that
the current paste does not hold."""

from __future__ import annotations

from textual import events
from textual.geometry import Region
from textual.widgets import Button, Input, Link, Static

from beeper_tui.tui.login.steps.cookies import PasteBox
from tests.support import cookies_step, harness_for, wait_for

FULL_PASTE = "auth_token=supersecret1\nct0=5f3a\nX-Csrf-Token=5f3a\nappState=state-1"


def paste_box_text(box: PasteBox) -> str:
    """What the paste area shows on screen, line by line."""
    lines = box.render_lines(Region(0, 0, box.size.width, box.size.height))
    return "\n".join(line.text for line in lines)


def status(app: object) -> str:
    return str(app.query_one("#paste-status", Static).render())  # type: ignore[attr-defined]


def values(app: object) -> dict[str, str]:
    return {
        box.id or "": box.value
        for box in app.query(Input)  # type: ignore[attr-defined]
    }


async def paste(app: object, pilot: object, text: str) -> None:
    """Paste as a terminal delivers it: to the app, which hands it to the paste area."""
    app.query_one("#paste", PasteBox).focus()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    app.post_message(events.Paste(text))  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_the_paste_is_masked_on_screen_until_ctrl_r_shows_it_with_the_values() -> None:
    app = harness_for(cookies_step())
    async with app.run_test(size=(100, 60)) as pilot:
        await paste(app, pilot, "auth_token=supersecret1")
        box = app.query_one("#paste", PasteBox)
        assert "supersecret1" not in paste_box_text(box)
        assert "•" in paste_box_text(box)
        assert app.query_one("#cookie-0", Input).password
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "auth_token=supersecret1" in paste_box_text(box)
        assert not app.query_one("#cookie-0", Input).password
        assert "shown" in str(app.query_one("#paste-hint", Static).render())
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "supersecret1" not in paste_box_text(box)
        assert app.query_one("#cookie-0", Input).password


async def test_a_second_paste_replaces_the_first_instead_of_merging() -> None:
    app = harness_for(cookies_step())
    async with app.run_test(size=(100, 60)) as pilot:
        await paste(app, pilot, "auth_token=first")
        assert values(app)["cookie-0"] == "first"
        await paste(app, pilot, "ct0=second")
        assert app.query_one("#paste", PasteBox).text == "ct0=second"
        assert values(app)["cookie-0"] == ""  # the first paste's value went with it
        assert values(app)["cookie-1"] == "second"


async def test_a_paste_with_nothing_in_it_says_so_and_clears_the_stale_all_found() -> None:
    app = harness_for(cookies_step())
    async with app.run_test(size=(100, 60)) as pilot:
        await paste(app, pilot, FULL_PASTE)
        assert "all 4 values found" in status(app)
        await paste(app, pilot, "just some words")
        assert "all 4 values found" not in status(app)
        assert "nothing the bridge needs is in this paste" in status(app)
        assert "0 of 4 found" in status(app)
        assert not any(values(app).values())


async def test_values_typed_by_hand_survive_a_new_paste() -> None:
    app = harness_for(cookies_step())
    async with app.run_test(size=(100, 60)) as pilot:
        app.query_one("#cookie-3", Input).value = "typed-state"
        await paste(app, pilot, "auth_token=a1")
        await paste(app, pilot, "ct0=c0")
        assert values(app)["cookie-3"] == "typed-state"
        assert values(app)["cookie-0"] == ""


async def test_ctrl_n_clears_the_paste_and_what_it_filled() -> None:
    app = harness_for(cookies_step())
    async with app.run_test(size=(100, 60)) as pilot:
        await paste(app, pilot, FULL_PASTE)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.query_one("#paste", PasteBox).text == ""
        assert not any(values(app).values())
        assert "0 of 4 found" in status(app)
        assert app.focused is app.query_one("#paste", PasteBox)


async def test_the_page_to_open_stays_in_view_while_the_checklist_scrolls() -> None:
    app = harness_for(cookies_step())
    async with app.run_test(size=(120, 30)) as pilot:  # the room the wizard leaves at 120×40
        await paste(app, pilot, FULL_PASTE)
        submit = app.query_one("#submit-cookies", Button)
        submit.focus()
        await wait_for(
            pilot,
            lambda: app.screen.get_widget_at(*submit.region.offset)[0] is submit,
            what="the focused Submit scrolled into view",
        )
        assert app.query_one("#cookie-body").scroll_y > 0, "the checklist had to scroll"
        link = app.query_one("#cookie-url", Link)
        x, y = link.region.offset
        assert app.screen.get_widget_at(x, y)[0] is link
