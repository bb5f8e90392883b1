"""The login target on its own — no app, no Textual: what the wizard is logging into, read from
the simulator over ``httpx.ASGITransport``, and what follows from it alone (the header's words,
can't add, the picker's choice, what the flow memory learns, how the wizard ended)."""

from __future__ import annotations

from beeper_tui.api.adding import why_cant_add
from beeper_tui.api.client import BeeperClient
from beeper_tui.flow_memory import FlowMemory
from beeper_tui.tui.login.target import LoginTarget

WHATSAPP_BROKEN = "ba_Qm9uZGF5TW9ybmluZ0NvZmZlZQ"  # مريم الحسيني, +971501234567
WHATSAPP_OTHER = "ba_EvYDBBsZbRQAy3UOSWqG0LuTVkc"


async def test_a_new_account_is_named_by_its_bridge_once_read(client: BeeperClient) -> None:
    login = LoginTarget("local-whatsapp")
    assert login.title().top_line == "local-whatsapp · New account"  # before the bridge is read
    bridge = await login.read(client)
    assert bridge.display_name == "WhatsApp" and [f.id for f in login.flows] == ["qr", "phone"]
    title = login.title("Step 1 · Scan the QR code")
    assert (title.top_line, title.sign_in_as, title.step) == (
        "WhatsApp · New account",
        None,
        "Step 1 · Scan the QR code",
    )
    assert login.fixing is None and not login.reconnecting
    assert login.asks_for_flow, "two flows and none asked for: the person picks"


async def test_a_reconnect_names_whom_to_sign_in_as(client: BeeperClient) -> None:
    login = LoginTarget("local-whatsapp", "qr", WHATSAPP_BROKEN, desktop="work")
    await login.read(client)
    assert login.fixing is not None and login.fixing.login_id == WHATSAPP_BROKEN
    title = login.title()
    assert title.top_line == "WhatsApp on work · Reconnect مريم الحسيني · QR code"
    assert title.sign_in_as == "Sign in as مريم الحسيني, +971501234567"
    assert not login.asks_for_flow, "the flow was asked for"


async def test_a_bridge_that_takes_no_new_account_says_why_except_to_a_reconnect(
    client: BeeperClient,
) -> None:
    new = LoginTarget("matrix")  # Beeper: one account, and it has it
    assert new.cant_add() is None, "nothing is known before the bridge is read"
    bridge = await new.read(client)
    problem = new.cant_add()
    assert problem is not None and problem.message == why_cant_add(bridge)
    assert problem.code == "limit_reached"
    outcome = new.outcome("failed", error=problem)
    assert (outcome.status, outcome.bridge_id, outcome.error) == ("failed", "matrix", problem)

    reconnect = LoginTarget("matrix", login_id="matrix")
    await reconnect.read(client)
    assert reconnect.cant_add() is None


async def test_the_picker_preselects_the_flow_the_account_last_used(client: BeeperClient) -> None:
    memory = FlowMemory(None)
    memory.succeeded("local-whatsapp", "phone", login_id=WHATSAPP_BROKEN)
    memory.succeeded("local-whatsapp", "qr", login_id=WHATSAPP_OTHER)
    reconnect = LoginTarget("local-whatsapp", login_id=WHATSAPP_BROKEN)
    new = LoginTarget("local-whatsapp")
    for login in (reconnect, new):
        await login.read(client)
    assert reconnect.flow_choice(memory).preselected == "phone"
    assert new.flow_choice(memory).preselected == "qr", "a new account: the bridge's last flow"

    new.pick("phone")
    assert (new.flow_id, new.picked_flow) == ("phone", True)
    assert new.title().flow == "Phone number"
    new.pick(None)  # Esc on the first step: back to the picker
    assert (new.flow_id, new.picked_flow, new.asks_for_flow) == (None, False, True)


async def test_the_flow_memory_learns_only_from_a_session_the_wizard_opened(
    client: BeeperClient,
) -> None:
    memory = FlowMemory(None)
    resumed = LoginTarget("telegram", resume_session="ls_left_over")
    await resumed.read(client)
    outcome = resumed.outcome("complete")
    resumed.succeeded(memory, outcome)
    resumed.reached_step_it_cannot_do(memory)
    assert memory.last_flow("telegram") is None and not memory.cannot_finish("telegram")

    opened = LoginTarget("telegram")  # no flow asked for: the server's default, its first
    await opened.read(client)
    opened.session_opened()
    assert opened.flow_in_use == "phone"
    opened.succeeded(memory, opened.outcome("complete"))
    assert memory.last_flow("telegram") == "phone"
    opened.reached_step_it_cannot_do(memory)
    assert memory.cannot_finish("telegram") == frozenset({"phone"})


async def test_the_outcome_carries_what_the_wizard_was_opened_with(client: BeeperClient) -> None:
    login = LoginTarget("local-whatsapp", "qr", WHATSAPP_BROKEN)
    await login.read(client)
    outcome = login.outcome("cancelled")
    assert (outcome.status, outcome.bridge_id, outcome.flow_id) == (
        "cancelled",
        "local-whatsapp",
        "qr",
    )
    assert outcome.login_id == WHATSAPP_BROKEN and outcome.account is None
    assert outcome.fixing is not None and outcome.fixing.login_id == WHATSAPP_BROKEN
    assert not outcome.different_account
