"""One explanation of "can't add an account" (``beeper_tui.api.adding.why_cant_add``), the
same in the accounts list, the add-account picker and the login wizard."""

from __future__ import annotations

from typing import Any

from beeper_tui.api.adding import why_cant_add
from beeper_tui.api.models import BRIDGE_UNAVAILABLE, Bridge
from tests.support import SIZE, quiet_world, wait_for, wizard_app, wizard_of


def bridge(**wire: Any) -> Bridge:
    shape = {
        "id": "x",
        "type": "twitter",
        "provider": "cloud",
        "displayName": "X",
        "activeAccountCount": 0,
        "supportsMultipleAccounts": True,
        "status": "available",
    }
    return Bridge.model_validate(shape | wire)


def test_a_bridge_that_can_take_an_account_has_no_reason() -> None:
    assert why_cant_add(bridge()) is None
    assert why_cant_add(bridge(status="connected", activeAccountCount=3)) is None


def test_a_refusing_bridge_says_why_in_the_servers_words_or_its_status_in_words() -> None:
    said = {status: why_cant_add(bridge(status=status)) for status in BRIDGE_UNAVAILABLE}
    assert said == {
        "limit_reached": "X has reached its account limit.",
        "temporarily_unavailable": "X is temporarily unavailable.",
        "disabled": "X is disabled.",
    }
    own_words = bridge(status="limit_reached", statusText="Remove an account first.")
    assert why_cant_add(own_words) == "Remove an account first."


def test_a_one_account_bridge_that_has_its_account_takes_no_second() -> None:
    full = bridge(supportsMultipleAccounts=False, activeAccountCount=1, status="connected")
    assert why_cant_add(full) == "X takes one account, and it already has one."
    assert why_cant_add(bridge(supportsMultipleAccounts=False)) is None


async def test_the_wizard_says_the_same_before_opening_any_session() -> None:
    world = quiet_world()
    app = wizard_app(world, "matrix")  # Beeper: one account, and it has it
    async with app.run_test(size=SIZE) as pilot:

        def note() -> str:
            return str(wizard_of(app).query_one("#wizard-note").render())

        await wait_for(pilot, lambda: "can't connect a new account" in note(), what="the note")
        assert "Beeper takes one account, and it already has one." in note()
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.is_running, what="the wizard to close")
    assert app.return_code == 1
    assert world.sessions == {}, "no session was opened to be refused"
