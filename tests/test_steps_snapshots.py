"""One snapshot per login-step kind (and the hostile-text case), with a frozen clock.

Review the SVGs in tests/__snapshots__/test_steps_snapshots/ before accepting a change
(``pytest --snapshot-update``): the QR must look like a QR code, black on white, with a quiet
zone.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.pilot import Pilot

from beeper_tui.api.models import ValidationIssue
from beeper_tui.tui.login.steps import FormStepWidget, QRStepWidget, SessionEnded, widget_for
from tests.support import (
    FIXED_CLOCK,
    StepHarness,
    complete_step,
    cookies_step,
    display_step,
    failed_session,
    form_step,
    harness_for,
    qr_step,
    step,
)

ROOMY = (100, 48)  # room for a WhatsApp-sized QR code with its full quiet zone


async def type_password(pilot: Pilot[Any]) -> None:
    await pilot.pause()  # let the form put the focus on its first field
    pilot.app.query_one("#field-2").focus()
    await pilot.pause()
    await pilot.press(*"hunter2")
    pilot.app.query_one("#field-0").focus()
    await pilot.pause()


def test_form_with_every_field_kind(snap_compare: Any) -> None:
    assert snap_compare(harness_for(form_step()), terminal_size=(90, 44), run_before=type_password)


def test_form_with_server_issues(snap_compare: Any) -> None:
    async def show_issues(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press(*"+4915112345678")
        pilot.app.query_one(FormStepWidget).show_issues(
            [
                ValidationIssue(
                    code="invalid", message="This number isn't on Signal.", path=["fields", "phone"]
                ),
                ValidationIssue(code="rate", message="Too many attempts; wait a minute.", path=[]),
            ]
        )
        await pilot.pause()

    assert snap_compare(harness_for(form_step()), terminal_size=(90, 44), run_before=show_issues)


def test_qr_code(snap_compare: Any) -> None:
    assert snap_compare(harness_for(qr_step()), terminal_size=ROOMY)


def test_qr_code_refreshed(snap_compare: Any) -> None:
    now = [FIXED_CLOCK]

    async def rotate(pilot: Pilot[Any]) -> None:
        widget = pilot.app.query_one(QRStepWidget)
        widget.refresh_step(qr_step("2@rotated," + "Zm9vYmFy" * 20))
        widget.refresh_step(qr_step("2@rotated-again," + "YmF6cXV4" * 20))
        now[0] += 7
        widget.update_status()
        await pilot.pause()

    app = StepHarness(widget_for(qr_step()), clock=lambda: now[0])
    assert snap_compare(app, terminal_size=ROOMY, run_before=rotate)


def test_qr_code_too_big_for_the_terminal(snap_compare: Any) -> None:
    assert snap_compare(harness_for(qr_step()), terminal_size=(80, 24))


def test_emoji(snap_compare: Any) -> None:
    wire = display_step(
        {
            "type": "emoji",
            "imageURL": "https://fonts.gstatic.com/s/e/notoemoji/latest/1f984/512.png",
        },
        "Tap the emoji you see here on your phone.",
    )
    assert snap_compare(harness_for(wire))


def test_code_in_digits(snap_compare: Any) -> None:
    wire = display_step({"type": "code", "data": "ABCD-1234"}, "Enter this code in Telegram.")
    assert snap_compare(harness_for(wire))


def test_code_with_letters_digits_cannot_draw(snap_compare: Any) -> None:
    wire = display_step({"type": "code", "data": "KXWQ-7R2M"}, "Enter this code on your phone.")
    assert snap_compare(harness_for(wire))


def test_waiting(snap_compare: Any) -> None:
    wire = display_step({"type": "nothing"}, "Approve the sign-in on your phone.")
    assert snap_compare(harness_for(wire))


def test_cookies_with_a_partial_paste(snap_compare: Any) -> None:
    async def paste(pilot: Pilot[Any]) -> None:
        pilot.app.query_one("#paste").focus()
        await pilot.pause()
        pilot.app.post_message(events.Paste("Cookie: auth_token=a1b2c3d4; ct0=5f3a9e"))
        await pilot.pause()

    assert snap_compare(harness_for(cookies_step()), terminal_size=(100, 44), run_before=paste)


def test_complete(snap_compare: Any) -> None:
    assert snap_compare(harness_for(complete_step()))


def test_failed(snap_compare: Any) -> None:
    assert snap_compare(StepHarness(SessionEnded(failed_session())))


def test_unknown_step(snap_compare: Any) -> None:
    wire = step(
        {
            "type": "webauthn",
            "stepID": "fi.mau.passkey",
            "instructions": "Use your security key.",
            "challenge": "Y2hhbGxlbmdl",
            "rpID": "example.com",
        }
    )
    assert snap_compare(harness_for(wire))


def test_hostile_server_text_renders_as_typed(snap_compare: Any) -> None:
    wire = form_step(
        instructions="[bold red]Not markup[/] \x1b[31mnot an escape\x1b[0m "
        + "long words " * 909  # 10 000+ characters
    )
    wire.fields[0].label = "[link=https://evil.example]Phone[/link] \x07"
    wire.fields[0].placeholder = "[reverse]x"
    assert len(wire.instructions) > 10_000
    assert snap_compare(harness_for(wire), terminal_size=(90, 54))
