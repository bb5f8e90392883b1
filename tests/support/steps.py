"""A tiny app that shows one login-step widget, and sample steps as the server sends them.

Used by the step snapshot and behaviour tests: ``StepHarness(widget_for(step), clock=...)``.
It records what the widget posts (``submitted``, ``retries``) instead of talking to a server,
and the messages of the notifications it shows (``notes``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter
from textual.app import App, ComposeResult
from textual.notifications import SeverityLevel
from textual.widget import Widget
from textual.widgets import Footer

from beeper_tui.api.models import LoginSession, LoginStep
from beeper_tui.tui.login.steps import SessionEnded, StepWidget, widget_for

FIXED_CLOCK = 1000.0
# Shaped like WhatsApp's: 2@ref,noise key,identity key,adv secret (fake values, 229 chars).
WHATSAPP_QR = (
    "2@Y2hhbmdlLW1lLWZha2UtcmVmLWZvci1zbmFwc2hvdHMtb25seS0wMTIzNDU2Nzg5YWJjZGVmZ2hpamtsbW5vcHFy,"
    "bm9pc2Uta2V5LWZha2UtMDEyMzQ1Njc4OWFiY2RlZmc=,"
    "aWRlbnRpdHkta2V5LWZha2UtMDEyMzQ1Njc4OWFiY2Q=,"
    "YWR2LXNlY3JldC1mYWtlLTAxMjM0NTY3ODlhYmNkZWY="
)


def step(wire: dict[str, Any]) -> Any:
    """A login step parsed from its wire JSON, exactly as the client would."""
    return TypeAdapter(LoginStep).validate_python(wire)


def form_step(**extra: Any) -> Any:
    return step(
        {
            "type": "user_input",
            "stepID": "fi.mau.signal.login.phone",
            "instructions": "Enter your phone number and password.",
            "fields": [
                {"id": "phone", "type": "phone_number", "label": "Phone number"},
                {"id": "email", "type": "email", "label": "Email", "optional": True},
                {"id": "password", "type": "password", "label": "Password"},
                {
                    "id": "region",
                    "type": "select",
                    "label": "Region",
                    "options": [{"value": "eu", "label": "Europe"}, "us"],
                    "initialValue": "eu",
                },
                {"id": "code", "type": "2fa_code", "label": "Code", "pattern": r"\d{6}"},
            ],
            **extra,
        }
    )


def display_step(display: dict[str, Any], instructions: str | None = None) -> Any:
    wire: dict[str, Any] = {"type": "display_and_wait", "stepID": "display", "display": display}
    if instructions is not None:
        wire["instructions"] = instructions
    return step(wire)


def qr_step(data: str = WHATSAPP_QR) -> Any:
    return display_step({"type": "qr", "data": data}, "Open WhatsApp → Linked devices → Link.")


def cookies_step() -> Any:
    return step(
        {
            "type": "cookies",
            "stepID": "com.twitter.login.cookies",
            "url": "https://x.com/i/flow/login",
            "instructions": "Sign in to X in your browser.",
            "userAgent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0",
            "extractJS": "window.close(); throw new Error('never run')",
            "fields": [
                {"id": "auth_token", "type": "cookie", "name": "auth_token"},
                {"id": "ct0", "type": "cookie", "name": "ct0"},
                {"id": "csrf", "type": "header", "name": "X-Csrf-Token"},
                {"id": "state", "type": "local_storage", "name": "appState"},
            ],
        }
    )


def complete_step() -> Any:
    return step(
        {
            "type": "complete",
            "stepID": "done",
            "instructions": "Your chats will appear in a moment.",
            "account": {
                "accountID": "local-whatsapp_ba_1",
                "bridge": {"id": "local-whatsapp", "type": "whatsapp", "provider": "local"},
                "user": {"id": "u1", "fullName": "Alice Example"},
                "status": "connected",
                "network": "WhatsApp",
            },
        }
    )


def failed_session() -> LoginSession:
    return LoginSession.model_validate(
        {
            "loginSessionID": "ls_1",
            "bridgeID": "local-whatsapp",
            "status": "failed",
            "error": {
                "code": "qr_timeout",
                "message": "The QR code expired before it was scanned.",
            },
        }
    )


class StepHarness(App[None]):
    """Shows one step widget above a footer of its keys; records what it posts and says."""

    def __init__(self, widget: Widget, *, clock: Callable[[], float] | None = None) -> None:
        super().__init__()
        self.widget = widget
        if clock is not None and isinstance(widget, StepWidget):
            widget.clock = clock
        self.submitted: list[StepWidget.Submitted] = []
        self.retries = 0
        self.notes: list[str] = []

    def compose(self) -> ComposeResult:
        yield self.widget
        yield Footer()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        self.notes.append(message)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def on_step_widget_submitted(self, message: StepWidget.Submitted) -> None:
        self.submitted.append(message)

    def on_session_ended_retry(self, message: SessionEnded.Retry) -> None:
        self.retries += 1


def harness_for(wire_step: Any, clock: float = FIXED_CLOCK) -> StepHarness:
    """A harness showing the registry's widget for ``wire_step`` with a frozen clock."""
    return StepHarness(widget_for(wire_step), clock=lambda: clock)
