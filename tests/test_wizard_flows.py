"""Every login flow of the demo world, driven through the real app to ``complete``."""

from __future__ import annotations

import json

from textual.widgets import OptionList

from beeper_tui.tui.login.flow_picker import FlowPickerDialog
from beeper_tui.tui.login.steps import (
    CodeStepWidget,
    CompleteStepWidget,
    CookiesStepWidget,
    EmojiStepWidget,
    FormStepWidget,
    QRStepWidget,
    SessionEnded,
    UnknownStepWidget,
)
from tests.support import (
    SIZE,
    fill_form,
    header_text,
    long_poll_waiting,
    paste_cookies,
    quiet_world,
    session_ids,
    telegram_answered,
    wait_for,
    wait_for_step,
    wizard_app,
    wizard_of,
)


def new_accounts(world, bridge_id: str, before: set[str]) -> list:  # type: ignore[no-untyped-def]
    return [
        a
        for a in world.accounts.values()
        if a.bridge_id == bridge_id and a.account_id not in before
    ]


def account_ids(world) -> set[str]:  # type: ignore[no-untyped-def]
    return set(world.accounts)


async def test_whatsapp_qr_redraws_in_place_on_rotation_then_connects() -> None:
    world = quiet_world()
    before = account_ids(world)
    app = wizard_app(world, "local-whatsapp", "qr")
    async with app.run_test(size=SIZE) as pilot:
        qr = await wait_for_step(pilot, QRStepWidget)
        assert header_text(app).startswith("WhatsApp · New account · QR code\nStep 1 · Scan")
        first_data = qr.step.display.data
        for rotation in (1, 2):
            await long_poll_waiting(pilot, world)
            assert world.rotate_qr() == 1
            await wait_for(pilot, lambda r=rotation: qr.refreshes == r, what=f"rotation {rotation}")
            assert wizard_of(app).step_widget is qr, "a rotated QR must redraw the same widget"
        assert qr.step.display.data != first_data
        assert header_text(app).endswith("Step 1 · Scan the QR code with your phone")
        assert len(session_ids(world)) == 1
        await long_poll_waiting(pilot, world)
        world.scan()
        done = await wait_for_step(pilot, CompleteStepWidget)
        assert "is connected on" in str(done.query_one("#connected").render())
        assert "Done" in header_text(app)
        await wait_for(pilot, lambda: not app.is_running, timeout=5, what="app exit after done")
    assert app.return_code == 0
    (added,) = new_accounts(world, "local-whatsapp", before)
    assert world.open_session_count == 0
    assert added.status in ("backfilling", "connected")


async def test_whatsapp_phone_pairing_code() -> None:
    world = quiet_world()
    app = wizard_app(world, "local-whatsapp", "phone")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_step(pilot, FormStepWidget)
        assert "Phone number" in header_text(app)
        await fill_form(pilot, "+1 555 010 1234")
        code = await wait_for_step(pilot, CodeStepWidget)
        assert header_text(app).splitlines()[1].startswith("Step 2 · Enter the code")
        assert "-" in code.step.display.data
        await long_poll_waiting(pilot, world)
        world.scan()
        await wait_for_step(pilot, CompleteStepWidget)
        outcome = wizard_of(app).outcome
        assert outcome is not None and outcome.status == "complete"
        assert outcome.account is not None
        assert outcome.account.user.phone_number == "+15550101234"
        await pilot.press("space")  # any key leaves at once
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_code == 0


async def test_telegram_phone_code_password() -> None:
    world = quiet_world()
    app = wizard_app(world, "telegram")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.phone_number")
        await fill_form(pilot, "+15550109999")
        await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.code")
        assert "Step 2" in header_text(app)
        await fill_form(pilot, "12345")
        await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.password")
        assert "Step 3" in header_text(app)
        await fill_form(pilot, "correct horse")
        await wait_for_step(pilot, CompleteStepWidget)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.is_running)
    assert app.return_code == 0
    assert world.open_session_count == 0


async def test_telegram_wrong_code_fails_and_retry_starts_a_fresh_session() -> None:
    world = quiet_world()
    app = wizard_app(world, "telegram")
    async with app.run_test(size=SIZE) as pilot:
        await telegram_answered(pilot, code="54321")
        wizard = wizard_of(app)
        await wait_for(pilot, lambda: wizard.query(SessionEnded), what="the failure")
        assert "not correct" in str(wizard.query_one("#ended-message").render())
        assert wizard.outcome is not None and wizard.outcome.status == "failed"
        assert wizard.outcome.error is not None and wizard.outcome.error.code == "invalid_code"
        first = session_ids(world)
        assert world.open_session_count == 0
        await pilot.press("r")
        await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.phone_number")
        assert len(session_ids(world)) == 2 and session_ids(world)[0] == first[0]
        assert world.open_session_count == 1
        assert "Step 1" in header_text(app)
        await fill_form(pilot, "+15550109999")
        await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.code")
        await fill_form(pilot, "12345")
        await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.password")
        await fill_form(pilot, "pw")
        await wait_for_step(pilot, CompleteStepWidget)
    assert world.open_session_count == 0


async def test_google_messages_qr_then_emoji() -> None:
    world = quiet_world()
    app = wizard_app(world, "local-gmessages")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_step(pilot, QRStepWidget)
        await long_poll_waiting(pilot, world)
        world.scan()
        emoji = await wait_for_step(pilot, EmojiStepWidget)
        assert "Step 2 · Compare the emoji" in header_text(app)
        assert emoji.step.display.image_url.endswith("/512.png")
        await long_poll_waiting(pilot, world)
        world.scan()
        await wait_for_step(pilot, CompleteStepWidget)
    assert world.open_session_count == 0


SLACK_CURL = (
    "curl 'https://app.slack.com/api/client.boot' \\\n"
    "  -H 'accept: */*' \\\n"
    "  -H 'cookie: b=.abc; d=xoxd-SECRET%2Fcookie; d-s=1700000000' \\\n"
    "  -H 'user-agent: Mozilla/5.0' \\\n"
    '  --data-raw \'{"token":"xoxc-1234-5678-abcdef"}\'\n'
)


async def test_slack_cookies_from_a_pasted_curl_command() -> None:
    world = quiet_world()
    before = account_ids(world)
    app = wizard_app(world, "slackgo")
    async with app.run_test(size=SIZE) as pilot:
        cookies = await wait_for_step(pilot, CookiesStepWidget)
        assert "Sign in with a browser" in header_text(app)
        # The localConfig_v2 token is local storage: curl carries only the d cookie, so the
        # person types the token by hand into its row.
        await paste_cookies(pilot, SLACK_CURL)
        token_input = cookies.query_one("#cookie-0")
        d_input = cookies.query_one("#cookie-1")
        await wait_for(pilot, lambda: d_input.value.startswith("xoxd-"), what="d read from curl")
        if not token_input.value:
            token_input.value = "xoxc-1234-5678-abcdef"
        await pilot.press("ctrl+s")
        await wait_for_step(pilot, CompleteStepWidget)
        outcome = wizard_of(app).outcome
        assert outcome is not None and outcome.status == "complete"
    slack = [a for a in world.accounts.values() if a.account_id not in before]
    assert len(slack) == 2, "one Slack login holds two workspaces"
    assert world.open_session_count == 0


INSTAGRAM_EXPORT = json.dumps(
    [
        {"name": "sessionid", "value": "1234%3Aabcd%3A12", "domain": ".instagram.com"},
        {"name": "csrftoken", "value": "csrf123", "domain": ".instagram.com"},
        {"name": "ds_user_id", "value": "1784140000042", "domain": ".instagram.com"},
        {"name": "mid", "value": "ZmFrZW1pZA", "domain": ".instagram.com"},
    ]
)


async def test_instagram_cookies_from_a_json_export() -> None:
    world = quiet_world()
    before = account_ids(world)
    app = wizard_app(world, "instagramgo")
    async with app.run_test(size=SIZE) as pilot:
        cookies = await wait_for_step(pilot, CookiesStepWidget)
        await paste_cookies(pilot, INSTAGRAM_EXPORT)
        await wait_for(
            pilot, lambda: cookies.query_one("#cookie-2").value == "1784140000042", what="read"
        )
        claim = cookies.query_one("#cookie-4")
        claim.value = "hmac.AR3xyz"  # the X-IG-WWW-Claim header is not in a cookie export
        await pilot.press("ctrl+s")
        await wait_for_step(pilot, CompleteStepWidget)
    assert len(new_accounts(world, "instagramgo", before)) == 1
    assert world.open_session_count == 0


async def test_discord_token_chosen_in_the_flow_picker() -> None:
    world = quiet_world()
    app = wizard_app(world, "discordgo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FlowPickerDialog), what="picker")
        options = app.screen.query_one(OptionList)
        assert options.option_count == 2
        assert "QR code" in str(options.get_option_at_index(0).prompt)
        assert world.open_session_count == 0, "no session before a flow is picked"
        await pilot.press("down", "enter")
        await wait_for_step(pilot, FormStepWidget, "fi.mau.discord.token")
        assert header_text(app).startswith("Discord · New account · Token")
        await fill_form(pilot, "mfa.secret-token-value")
        await wait_for_step(pilot, CompleteStepWidget)
    assert world.open_session_count == 0


async def test_unknown_step_type_is_shown_and_esc_cancels() -> None:
    world = quiet_world()
    app = wizard_app(world, "local-linkedin", "passkey")
    async with app.run_test(size=SIZE) as pilot:
        unknown = await wait_for_step(pilot, UnknownStepWidget)
        assert "webauthn" in str(unknown.query_one("#unknown-type").render())
        assert world.open_session_count == 1
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.is_running, what="leaving")
    assert app.return_code == 1
    assert world.open_session_count == 0


async def test_reconnect_keeps_the_same_account() -> None:
    world = quiet_world()
    login_id = "ba_Qm9uZGF5TW9ybmluZ0NvZmZlZQ"
    account_id = f"local-whatsapp_{login_id}"
    assert world.accounts[account_id].status == "reconnect_required"
    count = len(world.accounts)
    app = wizard_app(world, "local-whatsapp", "qr", login=login_id, account=account_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_step(pilot, QRStepWidget)
        assert header_text(app).startswith("WhatsApp · Reconnect مريم الحسيني · QR code")
        await long_poll_waiting(pilot, world)
        world.scan()
        await wait_for_step(pilot, CompleteStepWidget)
        outcome = wizard_of(app).outcome
        assert outcome is not None
        assert (outcome.status, outcome.account_id, outcome.login_id) == (
            "complete",
            account_id,
            login_id,
        )
    assert len(world.accounts) == count
    assert world.accounts[account_id].status in ("backfilling", "connected")
    assert world.open_session_count == 0


async def test_labels_say_optional_once() -> None:
    """The IRC server field's label already says "(optional)"; the password's does not."""
    world = quiet_world()
    app = wizard_app(world, "sh-irc")
    async with app.run_test(size=SIZE) as pilot:
        form = await wait_for_step(pilot, FormStepWidget, "org.heisenbridge.network")
        labels = [str(label.render()) for label in form.query(".field-label")]
        server = next(label for label in labels if label.startswith("Server"))
        password = next(label for label in labels if label.startswith("NickServ password"))
        assert server.count("optional") == 1, server
        assert "(optional)" in password
        assert not any("optional" in label for label in labels if label.startswith("Nickname"))


async def test_the_flow_picker_preselects_the_servers_default_flow_every_time() -> None:
    """The default is the flow the server uses when no flowID is sent: the first it lists."""
    world = quiet_world()
    for _ in range(2):
        app = wizard_app(world, "local-whatsapp")
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(
                pilot, lambda: isinstance(pilot.app.screen, FlowPickerDialog), what="picker"
            )
            options = app.screen.query_one(OptionList)
            prompts = [str(options.get_option_at_index(i).prompt) for i in range(2)]
            assert options.highlighted == 0
            assert prompts[0].startswith("QR code") and "(default)" in prompts[0]
            assert "(default)" not in prompts[1]
            keys = str(app.screen.query_one("#flow-keys").render())
            assert "esc leave" in keys, "`beeper-tui login` has nothing to go back to"
            await pilot.press("enter")
            await wait_for_step(pilot, QRStepWidget)
        assert world.open_session_count == 0
    assert [s.flow.id for s in world.sessions.values()] == ["qr", "qr"]


async def test_the_flow_picker_over_the_accounts_screen_says_esc_back() -> None:
    from beeper_tui.tui.login.screen import LoginWizardScreen
    from tests.support import demo_app

    world = quiet_world()
    app = demo_app(world)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.is_mounted)
        home = app.screen
        app.push_screen(LoginWizardScreen("discordgo"))
        await wait_for(pilot, lambda: isinstance(app.screen, FlowPickerDialog), what="picker")
        assert "esc back" in str(app.screen.query_one("#flow-keys").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is home, what="back home")
    assert world.sessions == {}
