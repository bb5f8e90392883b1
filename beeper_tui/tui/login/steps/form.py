"""The ``user_input`` step: a form with one input per field, checked before it is sent."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Button, Input, Select, Static

from beeper_tui.api.models import LoginInputField, User, UserInputStep, ValidationIssue
from beeper_tui.loginkit.field_checks import check_field, is_masked, option_choices
from beeper_tui.text import clean, clean_lines
from beeper_tui.tui.login.steps.base import (
    StepInput,
    StepWidget,
    place_issues,
    server_text,
    step_instructions,
)

# What to call a field when the server sends no label, and what to show in an empty input.
_TYPE_LABELS = {
    "username": "Username",
    "password": "Password",
    "phone_number": "Phone number",
    "email": "Email address",
    "2fa_code": "Two-factor code",
    "token": "Token",
    "url": "URL",
    "domain": "Domain",
    "select": "Choose",
    "captcha_code": "Captcha",
}
_TYPE_PLACEHOLDERS = {
    "phone_number": "+14155552671",
    "email": "alice@example.com",
    "2fa_code": "123456",
}


def field_label(field: LoginInputField) -> str:
    """The field's label, else a name from its type, else its ID."""
    return field.label or _TYPE_LABELS.get(field.type or "", "") or field.id


def account_prefill(user: User) -> dict[str, str]:
    """What a reconnect may fill in, by field type, from what the account already says: its
    phone number, email and handle (the person can still change them)."""
    known = {"phone_number": user.phone_number, "email": user.email, "username": user.username}
    return {kind: value for kind, value in known.items() if value}


def prefilled_value(field: LoginInputField, prefill: Mapping[str, str] | None = None) -> str:
    """What the field's input starts with: the server's ``initialValue``, else — when
    reconnecting — the account's own value for a field of that type (``account_prefill``),
    through the text policy (:func:`clean`, one line), since an Input draws its value as it is.

    What you see is what is sent: a safe value (the usual case) is the server's exactly; one
    holding characters a terminal would act on (ESC, C1, bidi overrides, NUL, a newline…)
    is shown in its visible form (``␛``, ``�``…), and that visible form is what an unedited
    field submits, so the server's raw bytes never reach the terminal and the person sees
    exactly what will be sent (and can correct it)."""
    value = field.initial_value or (prefill or {}).get(field.type or "", "")
    return clean(value) if value else ""


class FieldRow(Vertical):
    """A field's label, optional description, input (or select) and inline error."""

    DEFAULT_CSS = """
    FieldRow {
        height: auto;
        margin-bottom: 1;
        .field-label { text-style: bold; }
        .field-error { color: $text-error; display: none; }
        &.-invalid .field-error { display: block; }
        &.-invalid Input { border: tall $error; }
        /* a readable width: a phone number or a code is not typed across 200 columns */
        Input, Select { max-width: 72; }
    }
    """

    def __init__(
        self, field: LoginInputField, index: int, prefill: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(id=f"row-{index}")
        self.field = field
        self.index = index
        self.prefill = prefill

    def compose(self) -> ComposeResult:
        field = self.field
        yield Static(self.label_text(revealed=False), classes="field-label")
        if field.description:
            yield Static(server_text(field.description), classes="hint")
        choices = option_choices(field)
        control_id = f"field-{self.index}"
        if choices:
            values = [value for _, value in choices]
            yield Select(
                [(server_text(label), value) for label, value in choices],
                prompt="Choose…",
                value=field.initial_value if field.initial_value in values else Select.NULL,
                id=control_id,
            )
        else:
            placeholder = field.placeholder or _TYPE_PLACEHOLDERS.get(field.type or "", "")
            yield StepInput(
                value=prefilled_value(field, self.prefill),
                placeholder=clean(placeholder),
                password=is_masked(field),
                id=control_id,
            )
        # The line for an error under the field is added by the first error (set_error).

    def label_text(self, *, revealed: bool) -> Text:
        """The label, with "(optional)" — unless the server's label says so already — and,
        for secrets, how to show or hide them."""
        label = server_text(field_label(self.field))
        if self.field.optional and "optional" not in label.plain.casefold():
            label.append(" (optional)", style="dim")
        if is_masked(self.field):
            hint = " · shown, ctrl+r hides it" if revealed else " · hidden, ctrl+r shows it"
            label.append(hint, style="dim")
        return label

    def show_revealed(self, revealed: bool) -> None:
        """Show a secret as typed (or hide it again)."""
        control = self.control
        if isinstance(control, Input):
            control.password = not revealed
        self.query_one(".field-label", Static).update(self.label_text(revealed=revealed))

    @property
    def value(self) -> str:
        """What the person typed or chose ("" for nothing)."""
        control = self.query_one(f"#field-{self.index}")
        if isinstance(control, Select):
            return "" if control.is_blank() else str(control.value)
        assert isinstance(control, Input)
        return control.value

    @property
    def control(self) -> Input | Select[str]:
        control = self.query_one(f"#field-{self.index}")
        assert isinstance(control, Input | Select)
        return control

    def set_error(self, message: str | None) -> None:
        """Show ``message`` under the field, or clear it."""
        shown = self.query(".field-error")
        if shown:
            shown.first(Static).update(server_text(message or ""))
        elif message:
            self.mount(Static(server_text(message), classes="field-error"))
        self.set_class(bool(message), "-invalid")


class FormStepWidget(StepWidget):
    """A login form: Enter moves to the next field, and on the last one sends the form."""

    BINDINGS = [Binding("ctrl+r", "toggle_reveal", "Show/hide secrets")]

    DEFAULT_CSS = """
    FormStepWidget {
        #form-error { color: $text-error; margin-bottom: 1; }
        #attachments { margin-bottom: 1; }
    }
    """

    revealed: reactive[bool] = reactive(False)
    """Whether passwords, codes and tokens are shown as typed."""

    step: UserInputStep

    def __init__(self, step: Any, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(step, id=id, classes=classes)
        self.prefill: Mapping[str, str] = {}
        """Values by field type for fields the server left empty (``account_prefill``: the
        account a reconnect is for), set by the wizard before the form is mounted."""

    def compose(self) -> ComposeResult:
        yield Static(self.heading, classes="step-heading")
        if self.step.instructions:
            yield step_instructions(self.step.instructions)
        for index, field in enumerate(self.step.fields):
            yield FieldRow(field, index, self.prefill)
        yield Static("", id="form-error")
        if self.step.attachments:
            yield Static(_attachments_text(self.step.attachments), id="attachments")
        yield Button("Continue", id="submit-form", variant="primary")

    @property
    def rows(self) -> list[FieldRow]:
        return list(self.query(FieldRow))

    def focus_first(self) -> None:
        rows = self.rows
        if rows:
            rows[0].control.focus()
        elif self.is_attached:
            self.query_one("#submit-form", Button).focus()

    def on_mount(self) -> None:
        for row in self.rows:
            if isinstance(row.control, Select):
                self.watch(row.control, "expanded", self._select_closer(row), init=False)

    def _select_closer(self, row: FieldRow) -> Callable[[bool], None]:
        """When a select's list closes with the focus still on it, move on (like Enter)."""

        def closed(expanded: bool) -> None:
            if not expanded and row.control.has_focus_within:
                self.call_after_refresh(self._focus_after, row)

        return closed

    def _focus_after(self, row: FieldRow) -> None:
        rows = self.rows
        if row.index + 1 < len(rows):
            rows[row.index + 1].control.focus()
        else:
            self.query_one("#submit-form", Button).focus()

    def watch_revealed(self, revealed: bool) -> None:
        for row in self.rows:
            if is_masked(row.field):
                row.show_revealed(revealed)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter: check this field, then go to the next one; on the last, send the form."""
        event.stop()
        rows = self.rows
        row = next((r for r in rows if r.control is event.input), None)
        if row is None:
            return
        _, error = check_field(row.field, row.value)
        row.set_error(error)
        if error:
            return
        if row.index + 1 < len(rows):
            self._focus_after(row)
        else:
            self.action_submit()

    @on(Input.Changed)
    @on(Select.Changed)
    def _clear_error(self, event: Input.Changed | Select.Changed) -> None:
        for row in self.rows:
            if row.control is event.control:
                row.set_error(None)

    @on(Button.Pressed, "#submit-form")
    def _submit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    def action_toggle_reveal(self) -> None:
        self.revealed = not self.revealed

    def action_submit(self) -> None:
        """Check every field; send the normalised values when all pass, else show why not."""
        values: dict[str, str] = {}
        first_invalid: FieldRow | None = None
        for row in self.rows:
            value, error = check_field(row.field, row.value)
            row.set_error(error)
            if error and first_invalid is None:
                first_invalid = row
            if value or not row.field.optional:
                values[row.field.id] = value
        self.query_one("#form-error", Static).update("")
        if first_invalid is not None:
            first_invalid.control.focus()
            return
        self.submit(values)

    def show_issues(self, issues: list[ValidationIssue]) -> None:
        """Put each server issue on its field (matched by the field ID in its path); issues
        that name no field go above the button. What the person typed stays."""
        rows = self.rows
        by_id = {row.field.id: row for row in rows}
        for row in rows:
            row.set_error(None)
        placed, unplaced = place_issues(issues, by_id)
        for field_id, message in placed.items():
            by_id[field_id].set_error(message)
        self.query_one("#form-error", Static).update(server_text("\n".join(unplaced)))
        if placed:
            by_id[next(iter(placed))].control.focus()


def _attachments_text(attachments: list[Any]) -> Text:
    """One line per attachment the server sent with the form (shown, not opened)."""
    text = Text("Attachments:", style="bold")
    for item in attachments:
        if isinstance(item, dict):
            name = next(
                (str(item[k]) for k in ("name", "filename", "title", "url") if item.get(k)), ""
            )
            summary = name or json.dumps(item, separators=(",", ":"), default=str)
        else:
            summary = str(item)
        text.append("\n • ")
        text.append(clean_lines(summary[:200]))
    return text
