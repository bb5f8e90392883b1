"""The login wizard's step widgets and THE step registry.

``STEP_WIDGETS`` maps each step kind to the widget that shows it. The kinds are
``api.models.STEP_KINDS``, derived from the API's step and display unions, and
``api.models.step_kind`` says which one a step is (headless, beside the unions it reads). A new
kind of step or display is its model in ``api/models/steps.py``, one widget module here and one line
below; tests/test_steps_behaviour.py checks that the kinds and this table agree.
"""

from __future__ import annotations

from beeper_tui.api.models import step_kind
from beeper_tui.tui.login.steps.base import StepWidget
from beeper_tui.tui.login.steps.code import CodeStepWidget
from beeper_tui.tui.login.steps.complete import CompleteStepWidget
from beeper_tui.tui.login.steps.cookies import CookiesStepWidget
from beeper_tui.tui.login.steps.emoji import EmojiStepWidget
from beeper_tui.tui.login.steps.form import FormStepWidget
from beeper_tui.tui.login.steps.qr import QRStepWidget
from beeper_tui.tui.login.steps.session_ended import SessionEnded
from beeper_tui.tui.login.steps.unknown import UnknownStepWidget
from beeper_tui.tui.login.steps.waiting import WaitingStepWidget

STEP_WIDGETS: dict[str, type[StepWidget]] = {
    "user_input": FormStepWidget,
    "cookies": CookiesStepWidget,
    "qr": QRStepWidget,
    "emoji": EmojiStepWidget,
    "code": CodeStepWidget,
    "nothing": WaitingStepWidget,
    "complete": CompleteStepWidget,
    "unknown": UnknownStepWidget,
}


def widget_for(step: object) -> StepWidget:
    """A new widget for ``step``; an unknown kind gets the widget that says so."""
    return STEP_WIDGETS.get(step_kind(step), UnknownStepWidget)(step)


__all__ = [
    "STEP_WIDGETS",
    "CodeStepWidget",
    "CompleteStepWidget",
    "CookiesStepWidget",
    "EmojiStepWidget",
    "FormStepWidget",
    "QRStepWidget",
    "SessionEnded",
    "StepWidget",
    "UnknownStepWidget",
    "WaitingStepWidget",
    "widget_for",
]
