"""What a person notices when using each login-step widget (driven with Pilot)."""

from __future__ import annotations

from unittest.mock import patch

import pytest
import qrcode
from qrcode.constants import ERROR_CORRECT_L
from rich.color import Color
from textual import events
from textual.geometry import Region
from textual.widgets import Button, Input, Select, Static, TextArea

from beeper_tui.api.errors import Invalid
from beeper_tui.api.models import STEP_KINDS, APIError, LoginSession, ValidationIssue, step_kind
from beeper_tui.loginkit.qr_text import BACKGROUND, FOREGROUND, QUIET_ZONE, cells_to_matrix
from beeper_tui.tui.login.steps import (
    STEP_WIDGETS,
    CookiesStepWidget,
    FormStepWidget,
    QRStepWidget,
    SessionEnded,
    StepWidget,
    widget_for,
)
from beeper_tui.tui.login.steps.base import no_browser_reason
from beeper_tui.tui.login.steps.qr import QRCodeView, QRZoomDialog
from tests.support import (
    FIXED_CLOCK,
    WHATSAPP_QR,
    StepHarness,
    complete_step,
    cookies_step,
    display_step,
    failed_session,
    form_step,
    harness_for,
    qr_step,
    step,
    type_text,
)

CURL = (
    "curl 'https://x.com/i/api/1.1/account/settings.json' \\\n"
    "  -H 'x-csrf-token: 5f3a' \\\n"
    "  -b 'auth_token=a1b2c3; ct0=5f3a' \\\n"
    "  --compressed"
)


def text_of(app: StepHarness, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def paste(app: StepHarness, selector: str, text: str) -> None:
    """Paste ``text`` into a widget the way a terminal delivers a paste (to the app, which
    forwards it to the focused widget)."""
    app.query_one(selector).focus()
    await app.workers.wait_for_complete()
    app.post_message(events.Paste(text))


# --- the registry --------------------------------------------------------------------------


#: A step as the server sends it for every step kind, and the kind it is.
EACH_KIND = [
    (form_step(), "user_input"),
    (cookies_step(), "cookies"),
    (qr_step(), "qr"),
    (display_step({"type": "emoji", "imageURL": "https://e.x/1f984.png"}), "emoji"),
    (display_step({"type": "code", "data": "1234"}), "code"),
    (display_step({"type": "nothing"}), "nothing"),
    (complete_step(), "complete"),
    (step({"type": "webauthn", "stepID": "w"}), "unknown"),
    (display_step({"type": "hologram"}), "unknown"),
]


@pytest.mark.parametrize(("wire_step", "kind"), EACH_KIND)
def test_registry_gives_each_step_kind_its_widget(wire_step: object, kind: str) -> None:
    assert step_kind(wire_step) == kind
    widget = widget_for(wire_step)
    assert type(widget) is STEP_WIDGETS[kind]
    # The screen submits display steps (even unknown displays) by itself, at once.
    assert widget.waits == (wire_step.type == "display_and_wait")  # type: ignore[attr-defined]


def test_every_step_kind_has_one_widget_and_every_widget_one_kind() -> None:
    """The kinds ``step_kind`` can return (derived from the API's unions) and the registry's
    keys are the same set, each widget serves one kind, and the samples above cover them all."""
    assert set(STEP_WIDGETS) == set(STEP_KINDS)
    assert len(STEP_KINDS) == len(set(STEP_KINDS))
    assert len(set(STEP_WIDGETS.values())) == len(STEP_WIDGETS)
    assert {kind for _, kind in EACH_KIND} == set(STEP_KINDS)


# --- form ----------------------------------------------------------------------------------


async def test_form_check_blocks_submit_and_shows_the_message_on_the_field() -> None:
    app = harness_for(form_step())
    async with app.run_test(size=(100, 50)) as pilot:
        await type_text(pilot, "415 555")
        await pilot.press("enter")
        row = app.query_one("#row-0")
        assert row.has_class("-invalid")
        assert "+ and the country code" in str(row.query_one(".field-error", Static).render())
        assert app.focused is app.query_one("#field-0")
        await pilot.click("#submit-form")
        assert app.submitted == []
        assert app.query_one("#row-2").has_class("-invalid")  # the empty password too
        assert app.focused is app.query_one("#field-0")  # back to the first problem


async def test_form_inputs_keep_a_readable_width_on_a_wide_terminal() -> None:
    """At 200 columns a phone number or a choice is not stretched across the screen."""
    app = harness_for(form_step())
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        boxes = [*app.query(Input), *app.query(Select)]
        assert boxes and all(0 < box.region.width <= 72 for box in boxes)


async def test_enter_walks_the_fields_then_submits_normalised_values() -> None:
    app = harness_for(form_step())
    async with app.run_test(size=(100, 50)) as pilot:
        await type_text(pilot, "+1 (415) 555-2671")
        await pilot.press("enter")
        assert app.focused is app.query_one("#field-1")  # optional email: left empty
        await pilot.press("enter")
        assert app.focused is app.query_one("#field-2")
        await pilot.press(*"pw", "enter")
        select = app.query_one("#field-3", Select)
        assert app.focused is select
        await pilot.press("enter", "down", "enter")  # open the list, choose "us"
        await pilot.pause()
        assert select.value == "us"
        assert app.focused is app.query_one("#field-4")
        await type_text(pilot, "123 456")
        await pilot.press("enter")
        await pilot.pause()
    [sent] = app.submitted
    assert (sent.step_id, sent.step_type) == ("fi.mau.signal.login.phone", "user_input")
    assert sent.fields == {
        "phone": "+14155552671",
        "password": "pw",
        "region": "us",
        "code": "123456",
    }


async def test_reveal_toggle_shows_and_hides_every_secret() -> None:
    app = harness_for(form_step())
    async with app.run_test(size=(100, 50)) as pilot:
        password, code, phone = (app.query_one(f"#field-{i}", Input) for i in (2, 4, 0))
        assert password.password and code.password and not phone.password
        await pilot.press("ctrl+r")
        assert not password.password and not code.password
        assert "ctrl+r hides it" in text_of(app, "#row-2 .field-label")
        await pilot.press("ctrl+r")
        assert password.password and code.password


async def test_server_issues_land_on_their_fields_and_keep_the_input() -> None:
    app = harness_for(form_step())
    async with app.run_test(size=(100, 50)) as pilot:
        await type_text(pilot, "+14155552671")
        form = app.query_one(FormStepWidget)
        error = Invalid(
            status=422,
            body=APIError.model_validate(
                {
                    "code": "invalid",
                    "message": "bad",
                    "details": {
                        "issues": [
                            {
                                "code": "x",
                                "message": "Unknown number",
                                "path": ["body", "fields", "phone"],
                            },
                            {"code": "y", "message": "Try again later", "path": ["body"]},
                        ]
                    },
                }
            ),
        )
        form.show_issues(error.issues)
        await pilot.pause()
        assert "Unknown number" in text_of(app, "#row-0 .field-error")
        assert app.query_one("#row-0").has_class("-invalid")
        assert "Try again later" in text_of(app, "#form-error")
        assert app.query_one("#field-0", Input).value == "+14155552671"


async def test_form_shows_attachments_and_server_text_as_typed() -> None:
    wire = form_step(attachments=[{"name": "terms.pdf"}, "[bold]raw"])
    wire.fields[0].label = "[red]Phone[/red]"
    app = harness_for(wire)
    async with app.run_test(size=(100, 60)):
        assert "[red]Phone[/red]" in text_of(app, "#row-0 .field-label")
        listed = text_of(app, "#attachments")
        assert "terms.pdf" in listed and "[bold]raw" in listed


# --- cookies -------------------------------------------------------------------------------


async def test_curl_paste_fills_the_checklist_and_says_what_is_missing() -> None:
    app = harness_for(cookies_step())
    async with app.run_test(size=(100, 60)) as pilot:
        await paste(app, "#paste", CURL)
        await pilot.pause()
        rows = list(app.query_one(CookiesStepWidget).rows)
        assert [row.has_class("-found") for row in rows] == [True, True, True, False]
        status = text_of(app, "#paste-status")
        assert "a cURL command" in status and "Still missing: appState" in status
        await pilot.press("ctrl+s")
        assert app.submitted == []  # one value still missing
        assert app.focused is rows[3].input
        await type_text(pilot, "state-1")
        await pilot.press("enter")
        await pilot.pause()
    [sent] = app.submitted
    assert sent.step_type == "cookies" and sent.source == "api"
    assert sent.fields == {
        "auth_token": "a1b2c3",
        "ct0": "5f3a",
        "csrf": "5f3a",
        "state": "state-1",
    }


async def test_cookie_values_stay_masked_on_screen() -> None:
    app = harness_for(cookies_step())
    async with app.run_test(size=(100, 60)) as pilot:
        await paste(app, "#paste", "auth_token=supersecret")
        await pilot.pause()
        assert app.query_one("#cookie-0", Input).password
        assert app.query_one(TextArea).text == "auth_token=supersecret"


async def test_cookies_keys_open_and_copy_the_sign_in_page() -> None:
    app = harness_for(cookies_step())
    with patch("webbrowser.open", return_value=True) as opened:
        async with app.run_test(size=(100, 60)) as pilot:
            await pilot.press("ctrl+o")
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert app.clipboard == "https://x.com/i/flow/login"
    opened.assert_called_once_with("https://x.com/i/flow/login")
    assert "Copied the sign-in page's link to the clipboard." in app.notes


# --- QR --------------------------------------------------------------------------------------


async def test_qr_refresh_redraws_in_place_with_the_counter() -> None:
    now = [FIXED_CLOCK]
    app = StepHarness(widget_for(qr_step("first code")), clock=lambda: now[0])
    async with app.run_test(size=(100, 50)) as pilot:
        widget = app.query_one(QRStepWidget)
        view = app.query_one(QRCodeView)
        before = str(view.render())
        assert widget.refresh_step(qr_step("second code")) is True
        now[0] += 12
        widget.update_status()
        await pilot.pause()
        assert app.query_one(QRStepWidget) is widget and app.query_one(QRCodeView) is view
        assert str(view.render()) != before
        assert text_of(app, "#qr-status") == "code refreshed (1) · 12s ago"
        assert widget.refresh_step(qr_step("third code"))
        await pilot.pause()
        assert text_of(app, "#qr-status").startswith("code refreshed (2)")
        assert not widget.refresh_step(display_step({"type": "nothing"}))


async def test_qr_on_screen_is_the_datas_code_black_on_white_with_quiet_zone() -> None:
    app = harness_for(qr_step(WHATSAPP_QR))
    async with app.run_test(size=(100, 48)):
        view = app.query_one(QRCodeView)
        strips = view.render_lines(Region(0, 0, view.size.width, view.size.height))
        white = Color.parse(BACKGROUND)
        lines = []
        for strip in strips:
            cells = [seg for seg in strip if seg.style and seg.style.bgcolor == white]
            if cells:
                assert all(seg.style.color == Color.parse(FOREGROUND) for seg in cells)
                lines.append("".join(seg.text for seg in cells))
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_L, border=QUIET_ZONE)
    code.add_data(WHATSAPP_QR)
    expected = [[bool(m) for m in row] for row in code.get_matrix()]
    assert cells_to_matrix(lines)[: len(expected)] == expected


async def test_qr_too_big_says_the_size_needed_and_zoom_opens_full_screen() -> None:
    app = harness_for(qr_step("2@" + "x" * 250))
    async with app.run_test(size=(80, 24)) as pilot:
        message = str(app.query_one(QRCodeView).render())
        assert "needs 30×20 cells" in message and "press z to zoom" in message
        await pilot.press("z")
        assert isinstance(app.screen, QRZoomDialog)
        app.query_one(QRStepWidget).refresh_step(qr_step("rotated while zoomed"))
        assert app.screen.query_one(QRCodeView).data == "rotated while zoomed"
        await pilot.press("escape")
        assert not isinstance(app.screen, QRZoomDialog)


async def test_copy_keys_copy_and_notify() -> None:
    for wire, expected in [
        (qr_step("qr-data"), "qr-data"),
        (display_step({"type": "code", "data": "WXYZ-0001"}), "WXYZ-0001"),
        (
            display_step({"type": "emoji", "imageURL": "https://e.x/1f984.png"}),
            "https://e.x/1f984.png",
        ),
    ]:
        app = harness_for(wire)
        async with app.run_test(size=(100, 50)) as pilot:
            await pilot.press("y")
            await pilot.pause()
            assert app.clipboard == expected
            [note] = app.notes
            assert note.startswith("Copied") and expected not in note


async def test_emoji_open_key_opens_the_image_in_the_browser() -> None:
    app = harness_for(display_step({"type": "emoji", "imageURL": "https://e.x/1f984.png"}))
    with patch("webbrowser.open", return_value=False) as opened:
        async with app.run_test(size=(100, 50)) as pilot:
            await pilot.press("o")
            await pilot.pause()
    opened.assert_called_once_with("https://e.x/1f984.png")
    [note] = app.notes
    assert "Couldn't open a browser" in note  # and says so when none opened


# --- the end of a session --------------------------------------------------------------------


async def test_failed_widget_says_why_and_posts_retry() -> None:
    app = StepHarness(SessionEnded(failed_session()))
    async with app.run_test() as pilot:
        assert "expired before it was scanned" in text_of(app, "#ended-message")
        assert "qr_timeout" in text_of(app, "#ended-detail")
        await pilot.press("r")
        await pilot.click("#retry")
        await pilot.pause()
    assert app.retries == 2


async def test_cancelled_session_and_http_error_read_plainly() -> None:
    cancelled = LoginSession.model_validate(
        {"loginSessionID": "s", "bridgeID": "b", "status": "cancelled"}
    )
    app = StepHarness(SessionEnded(cancelled))
    async with app.run_test():
        assert str(app.query_one("#ended-title", Static).render()) == "Login cancelled"
    app = StepHarness(SessionEnded.from_error(Invalid("[b]Nope[/b]", code="bad_input")))
    async with app.run_test():
        assert text_of(app, "#ended-message") == "[b]Nope[/b]"


async def test_complete_says_who_was_connected() -> None:
    app = harness_for(complete_step())
    async with app.run_test():
        assert text_of(app, "#connected") == "Alice Example is connected on WhatsApp."


async def test_widgets_post_submitted_only_for_steps_the_person_finishes() -> None:
    for wire in (qr_step(), display_step({"type": "nothing"}), complete_step()):
        app = harness_for(wire)
        async with app.run_test(size=(100, 50)) as pilot:
            await pilot.press("enter", "y", "space")
        assert app.submitted == []


@pytest.mark.parametrize(
    "wire_step", [wire for wire, kind in EACH_KIND if kind not in ("user_input", "cookies")]
)
async def test_server_issues_leave_a_step_without_fields_on_screen_as_it_was(
    wire_step: object,
) -> None:
    """A validation error while a code is displayed (the screen's banner says what it was):
    the code stays on screen exactly as it was, so the person can still scan or type it."""
    app = harness_for(wire_step)
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        before = app.export_screenshot()
        issue = ValidationIssue(message="Unknown number", path=["body", "fields", "phone"])
        app.query_one(StepWidget).show_issues([issue])
        await pilot.pause()
        assert app.export_screenshot() == before


async def test_retry_button_is_focused_so_enter_retries() -> None:
    app = StepHarness(SessionEnded(failed_session()))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Button)
        await pilot.press("enter")
        await pilot.pause()
    assert app.retries == 1


async def test_over_ssh_the_open_key_says_why_instead_of_starting_a_console_browser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22")
    app = harness_for(display_step({"type": "emoji", "imageURL": "https://e.x/1f984.png"}))
    with patch("webbrowser.open", return_value=True) as opened:
        async with app.run_test(size=(100, 50)) as pilot:
            await pilot.press("o")
            await pilot.pause()
    opened.assert_not_called()
    [note] = app.notes
    assert "SSH session" in note and "Copy the link" in note


async def test_server_rejection_of_a_cookie_lands_on_its_row_and_keeps_the_values() -> None:
    app = harness_for(cookies_step())
    async with app.run_test(size=(100, 60)) as pilot:
        await paste(app, "#paste", "auth_token=abc\nct0=def")
        await pilot.pause()
        widget = app.query_one(CookiesStepWidget)
        issue = ValidationIssue(code="invalid", message="ct0 has expired", path=["fields", "ct0"])
        widget.show_issues([issue])
        await pilot.pause()
        rejected = [row for row in widget.rows if row.has_class("-rejected")]
        assert [row.wanted.id for row in rejected] == ["ct0"]
        assert "ct0 has expired" in str(rejected[0].query_one(".cookie-label", Static).render())
        assert [row.value for row in widget.rows][:2] == ["abc", "def"]
        rejected[0].input.value = "fresh"  # fixing it clears the mark
        await pilot.pause()
        assert not rejected[0].has_class("-rejected")


@pytest.mark.parametrize(
    ("env", "platform", "blocked"),
    [
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({}, "linux", True),  # a bare console: webbrowser would pick lynx or w3m
        ({}, "darwin", False),
        ({"DISPLAY": ":0", "SSH_TTY": "/dev/pts/3"}, "linux", True),
    ],
)
def test_browser_is_opened_only_where_a_person_can_see_it(
    env: dict[str, str], platform: str, blocked: bool
) -> None:
    assert (no_browser_reason(env, platform) is not None) is blocked
