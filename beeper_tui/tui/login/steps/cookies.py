"""The ``cookies`` step: sign in in a browser, then paste what the bridge needs from it.

One paste area takes what a browser gives (Copy as cURL, a Cookie header, a JSON export,
``name=value`` lines); the checklist below fills as it is read and shows what is still missing.
Each checklist row is also a masked input, for typing a value by hand. The step's ``extractJS``
is never run.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Link, Static, TextArea

from beeper_tui.api.models import CookieField, CookiesStep, ValidationIssue
from beeper_tui.loginkit.cookie_paste import location, match_fields, parse_cookie_paste
from beeper_tui.text import clean_lines
from beeper_tui.tui.login.steps.base import Instructions, StepWidget, place_issues, server_text

PASTE_HELP = (
    "Then paste here what your browser gives you: in DevTools → Network, right-click a "
    "request to the site → Copy → Copy as cURL; or a Cookie: header; or a JSON cookie export; "
    "or name=value lines."
)


def field_name(wanted: CookieField) -> str:
    return wanted.name or wanted.id


class CookieRow(Horizontal):
    """One value the bridge needs: found or missing, where it lives, and a masked input."""

    DEFAULT_CSS = """
    CookieRow {
        height: auto;
        .cookie-mark { width: 2; padding-top: 1; color: $text-warning; }
        &.-found .cookie-mark { color: $text-success; }
        .cookie-label { width: 1fr; padding: 1 1 0 0; }
        Input { width: 2fr; }
        &.-rejected .cookie-mark { color: $text-error; }
        &.-rejected .cookie-label { color: $text-error; }
    }
    """

    def __init__(self, wanted: CookieField, index: int) -> None:
        super().__init__(id=f"cookie-row-{index}")
        self.wanted = wanted
        self.index = index

    def compose(self) -> ComposeResult:
        yield Static("✗", classes="cookie-mark")
        yield Static(classes="cookie-label")
        yield Input(
            password=True, placeholder="found in the paste, or type it", id=f"cookie-{self.index}"
        )

    def on_mount(self) -> None:
        self.reject(None)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value.strip()

    def mark(self) -> None:
        """Redraw the found/missing mark from the input's value (a new value clears a server
        rejection: the person is fixing it)."""
        found = bool(self.value)
        self.query_one(".cookie-mark", Static).update("✓" if found else "✗")
        self.set_class(found, "-found")
        self.reject(None)

    def reject(self, message: str | None) -> None:
        """Show why the server refused this value (None clears it); the value is kept."""
        self.set_class(message is not None, "-rejected")
        label = Text(clean_lines(field_name(self.wanted)), style="bold")
        label.append(f" · {location(self.wanted)}", style="dim")
        if message is not None:
            self.query_one(".cookie-mark", Static).update("!")
            label.append("\n")
            label.append(clean_lines(message))
        self.query_one(".cookie-label", Static).update(label)


class CookiesStepWidget(StepWidget):
    """Collects cookies, headers and local-storage values from a browser paste."""

    BINDINGS = [
        Binding("ctrl+o", "open", "Open page"),
        Binding("ctrl+l", "copy", "Copy link"),
        Binding("ctrl+s", "submit", "Submit"),
    ]

    DEFAULT_CSS = """
    CookiesStepWidget {
        #cookie-url, #user-agent { margin-bottom: 1; }
        #paste { height: 6; margin-bottom: 1; }
        #paste-status { margin-bottom: 1; }
        #paste-status.-missing { color: $text-warning; }
        #paste-status.-complete { color: $text-success; }
        #submit-cookies { margin-top: 1; }
    }
    """

    heading = "Sign in with your browser"

    step: CookiesStep

    def compose(self) -> ComposeResult:
        yield Static(self.heading, classes="step-heading")
        if self.step.instructions:
            yield Instructions(self.step.instructions)
        yield Static("Open this page and sign in (ctrl+o opens it, ctrl+l copies the link):")
        yield Link(clean_lines(self.step.url), url=self.step.url, id="cookie-url")
        if self.step.user_agent:
            agent = Text("Sign in with a browser like: ", style="dim")
            agent.append(clean_lines(self.step.user_agent))
            yield Static(agent, classes="hint", id="user-agent")
        yield Static(PASTE_HELP)
        yield TextArea(id="paste", soft_wrap=True, tab_behavior="focus")
        yield Static(self.status_text(), id="paste-status")
        yield Static("Values needed:", classes="step-heading")
        for index, wanted in enumerate(self.step.fields):
            yield CookieRow(wanted, index)
        yield Button("Submit", id="submit-cookies", variant="primary")

    @property
    def rows(self) -> list[CookieRow]:
        return list(self.query(CookieRow))

    def focus_first(self) -> None:
        if self.is_attached:
            self.query_one("#paste", TextArea).focus()

    def __init__(
        self, step: CookiesStep, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(step, id=id, classes=classes)
        self.read_as = ""
        """What the paste area was read as ("a cURL command"), or "" when it is empty."""

    def status_text(self) -> Text:
        """What the paste was read as, how many values are there, which are still missing."""
        rows = self.rows if self.is_mounted else []
        missing = [row.wanted for row in rows if not row.value] if rows else self.step.fields
        total = len(self.step.fields)
        prefix = f"Read as {self.read_as}: " if self.read_as else ""
        if not missing:
            return Text(f"{prefix}all {total} values found. ctrl+s submits.")
        names = ", ".join(clean_lines(field_name(w)) for w in missing)
        found = total - len(missing)
        return Text(f"{prefix}{found} of {total} found. Still missing: {names}")

    def _update_status(self) -> None:
        status = self.query_one("#paste-status", Static)
        status.update(self.status_text())
        complete = all(row.value for row in self.rows)
        status.set_class(not complete, "-missing")
        status.set_class(complete, "-complete")

    @on(TextArea.Changed, "#paste")
    def _read_paste(self, event: TextArea.Changed) -> None:
        """Read the paste again and fill every value found in it."""
        event.stop()
        paste = parse_cookie_paste(event.text_area.text)
        match = match_fields(paste, self.step.fields)
        for row in self.rows:
            value = match.found.get(row.wanted.id)
            if value is not None and row.input.value != value:
                row.input.value = value
        self.read_as = "" if paste.is_empty else paste.format_name
        self._update_status()

    @on(Input.Changed)
    def _value_changed(self, event: Input.Changed) -> None:
        event.stop()
        for row in self.rows:
            if row.input is event.input:
                row.mark()
        self._update_status()

    @on(Input.Submitted)
    def _next_missing(self, event: Input.Submitted) -> None:
        """Enter in a value: go to the next missing one, or submit when none is missing."""
        event.stop()
        missing = [row for row in self.rows if not row.value]
        if missing:
            missing[0].input.focus()
        else:
            self.action_submit()

    @on(Button.Pressed, "#submit-cookies")
    def _submit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    def action_open(self) -> None:
        self.open_in_browser(self.step.url, "the sign-in page")

    def action_copy(self) -> None:
        self.copy_to_clipboard(self.step.url, "the sign-in page's link")

    def action_submit(self) -> None:
        """Send ``{type: cookies, fields, source: "api"}`` once every value is there."""
        rows = self.rows
        missing = [row for row in rows if not row.value]
        if missing:
            self._update_status()
            self.query_one("#paste-status", Static).update(
                server_text(
                    "Can't submit yet. Still missing: "
                    + ", ".join(field_name(row.wanted) for row in missing)
                )
            )
            missing[0].input.focus()
            return
        self.submit({row.wanted.id: row.value for row in rows}, source="api")

    def show_issues(self, issues: list[ValidationIssue]) -> None:
        """Put each server issue on the row whose field ID is in its path; the values stay.
        Issues that name no field go in the status line."""
        rows = {row.wanted.id: row for row in self.rows}
        placed, unplaced = place_issues(issues, rows)
        for field_id, message in placed.items():
            rows[field_id].reject(message)
        if unplaced:
            self.query_one("#paste-status", Static).update(server_text("\n".join(unplaced)))
        if placed:
            rows[next(iter(placed))].input.focus()
