"""The login wizard's step widgets and THE step registry.

``STEP_WIDGETS`` maps each step kind (``api.models.step_kind``) to the widget that shows it.
Adding a kind of step means one module here and one line below.
"""

from __future__ import annotations

from beeper_tui.api.models import step_kind
from beeper_tui.tui.steps.base import StepWidget
from beeper_tui.tui.steps.code import CodeStep
from beeper_tui.tui.steps.complete import CompleteStepWidget
from beeper_tui.tui.steps.cookies import CookiesStepWidget
from beeper_tui.tui.steps.emoji import EmojiStep
from beeper_tui.tui.steps.failed import SessionEnded
from beeper_tui.tui.steps.form import FormStep
from beeper_tui.tui.steps.qr import QRStep
from beeper_tui.tui.steps.unknown import UnknownStepWidget
from beeper_tui.tui.steps.waiting import WaitingStep

STEP_WIDGETS: dict[str, type[StepWidget]] = {
    "user_input": FormStep,
    "cookies": CookiesStepWidget,
    "qr": QRStep,
    "emoji": EmojiStep,
    "code": CodeStep,
    "nothing": WaitingStep,
    "complete": CompleteStepWidget,
    "unknown": UnknownStepWidget,
}


def widget_for(step: object) -> StepWidget:
    """A new widget for ``step``; an unknown kind gets the widget that says so."""
    return STEP_WIDGETS.get(step_kind(step), UnknownStepWidget)(step)


__all__ = [
    "STEP_WIDGETS",
    "CodeStep",
    "CompleteStepWidget",
    "CookiesStepWidget",
    "EmojiStep",
    "FormStep",
    "QRStep",
    "SessionEnded",
    "StepWidget",
    "UnknownStepWidget",
    "WaitingStep",
    "widget_for",
]
