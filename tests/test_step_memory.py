"""A step the wizard has moved past is gone from memory: its inputs do not stay behind.

Textual's ``Input`` subscribes to its screen's text-selection signal and never lets go; until the
steps' inputs unsubscribed as they were removed, every form the wizard showed stayed in memory
for as long as the wizard was open, and each full garbage collection (a pause of the whole app)
walked them all again.
"""

from __future__ import annotations

import gc
import weakref

from textual.widgets import Input

from beeper_tui.tui.login.steps import FormStepWidget
from tests.support import fill_form, quiet_world, wait_for, wait_for_step, wizard_app
from tests.support.wizard import SIZE


async def test_the_input_of_a_step_answered_earlier_is_freed() -> None:
    """Phone number, then code, then password: by the password, the phone number's input is
    gone. (The step just answered may stay a little longer: the worker that sent it holds its
    message until the next answer is sent.)"""
    app = wizard_app(quiet_world(), "telegram")
    async with app.run_test(size=SIZE) as pilot:
        phone_form = await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.phone_number")
        phone_input = weakref.ref(phone_form.query_one(Input))
        del phone_form
        await fill_form(pilot, "+15550109999")
        await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.code")
        await fill_form(pilot, "12345")
        await wait_for_step(pilot, FormStepWidget, "fi.mau.telegram.password")

        def freed() -> bool:
            gc.collect()
            return phone_input() is None

        await wait_for(pilot, freed, what="the phone number's input to be freed")
