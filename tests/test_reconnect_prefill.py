"""Reconnecting fills in what the account already says — its phone number, email, handle —
into an empty field of that type; never over the server's own ``initialValue``, never for a
new account, and always through the text policy."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.widgets import Input

from beeper_tui.sim.flows import Flow, handle_user
from beeper_tui.sim.steps import Ask, Field
from beeper_tui.tui.login.steps import FormStepWidget
from tests.support import SIZE, long_poll_waiting, quiet_world, wait_for_step, wizard_app

TELEGRAM_DMITRI = "528914776"
GOOGLECHAT_JORDAN = "108234567890123456789"
BLUESKY_ALEX = "did-plc-4xq2mzl7n3ukdc"


async def form_values(world: Any, bridge: str, login: str | None, step_id: str) -> list[str]:
    """The values the form's inputs start with, in order, when the wizard opens on it."""
    app = wizard_app(world, bridge, None, login)
    async with app.run_test(size=SIZE) as pilot:
        form = await wait_for_step(pilot, FormStepWidget, step_id)
        await pilot.pause()
        return [control.value for control in form.query(Input)]


async def test_a_reconnect_prefills_the_phone_number() -> None:
    values = await form_values(
        quiet_world(), "telegram", TELEGRAM_DMITRI, "fi.mau.telegram.phone_number"
    )
    assert values == ["+79161234567"]


async def test_a_reconnect_prefills_the_email() -> None:
    values = await form_values(
        quiet_world(), "googlechat", GOOGLECHAT_JORDAN, "com.google.chat.email"
    )
    assert values == ["jordan.smith@northwind.example"]


async def test_a_reconnect_prefills_the_handle_and_nothing_else() -> None:
    values = await form_values(quiet_world(), "bluesky", BLUESKY_ALEX, "social.bsky.login")
    assert values == ["alexchen.bsky.social", ""], "the password is never filled in"


async def test_a_new_account_gets_no_prefill() -> None:
    values = await form_values(quiet_world(), "telegram", None, "fi.mau.telegram.phone_number")
    assert values == [""]


async def test_the_servers_initial_value_wins_over_the_accounts() -> None:
    world = quiet_world()
    again = (  # a copy of the bridge: the demo's bridges are shared by every world
        Flow("password", "App password", "Sign in with your handle and an app password",
             steps=(Ask("social.bsky.login", "Sign in again.",
                        fields=(Field("username", "username", "Handle",
                                      initial_value="from-the-server.bsky.social"),
                                Field("password", "password", "App password"))),),
             makes=handle_user("username")),
    )  # fmt: skip
    world.add_bridge(replace(world.bridge("bluesky"), flows=again))
    values = await form_values(world, "bluesky", BLUESKY_ALEX, "social.bsky.login")
    assert values == ["from-the-server.bsky.social", ""]


async def test_a_prefilled_value_is_server_text_cleaned_and_sent_as_shown() -> None:
    """The handle is the server's text: control characters reach the field in their visible
    form, and an unedited submit sends what was shown."""
    world = quiet_world()
    account = next(a for a in world.accounts.values() if a.login_id == BLUESKY_ALEX)
    account.user["username"] = "alex\x1b[31m\u202echen"
    app = wizard_app(world, "bluesky", None, BLUESKY_ALEX)
    async with app.run_test(size=SIZE) as pilot:
        form = await wait_for_step(pilot, FormStepWidget, "social.bsky.login")
        handle, password = form.query(Input)
        assert handle.value.startswith("alex") and handle.value.endswith("chen")
        assert "\x1b" not in handle.value and "\u202e" not in handle.value
        shown = handle.value
        password.value = "abcd-efgh-ijkl-mnop"
        form.action_submit()
        await long_poll_waiting(pilot, world)  # the next step: the form was accepted
    (session,) = world.sessions.values()
    assert session.inputs["username"] == shown
