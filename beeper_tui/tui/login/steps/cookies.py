"""The ``cookies`` step: sign in in a browser, then paste what the bridge needs from it.

The page to open and the server's instructions stay at the top; below them scroll one paste
area, which takes what a browser gives (Copy as cURL, a Cookie header, a JSON export,
``name=value`` lines), and a checklist that fills as the paste is read and shows what is still
missing. The paste is masked like the values (ctrl+r shows both); a new paste replaces the
last one, and ctrl+n clears it. Each checklist row is also a masked input, for typing a value
by hand. The step's ``extractJS`` is never run.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.strip import Strip
from textual.widgets import Button, Input, Link, Static, TextArea

from beeper_tui.api.models import CookieField, CookiesStep, ValidationIssue
from beeper_tui.loginkit.cookie_paste import location, match_fields, parse_cookie_paste
from beeper_tui.text import cell_width, clean_lines
from beeper_tui.tui.login.steps.base import (
    StepInput,
    StepWidget,
    leave_text_selection,
    place_issues,
    server_text,
    step_instructions,
)

PASTE_HELP = (
    "Then paste here what your browser gives you: in DevTools → Network, right-click a "
    "request to the site → Copy → Copy as cURL; or a Cookie: header; or a JSON cookie export; "
    "or name=value lines."
)


def field_name(wanted: CookieField) -> str:
    return wanted.name or wanted.id


def masked(text: str) -> str:
    """``text`` with every visible character a bullet (as wide as it was), spaces kept."""
    return "".join(ch if ch.isspace() else "•" * max(cell_width(ch), 1) for ch in text)


class PasteBox(TextArea):
    """The paste area: what the terminal pastes replaces what was there (a second paste is a
    new paste, never merged into the first), and it is drawn masked unless revealed."""

    revealed = False
    """True while the paste is shown as typed (the step's ctrl+r)."""

    def on_unmount(self) -> None:
        # Off the text-selection signal (see leave_text_selection). A TextArea also watches
        # App.theme, and that watch is only dropped when the theme changes: no public way to
        # end it, so one paste area per cookies step stays until then.
        leave_text_selection(self)

    async def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # not TextArea's insert-at-the-cursor
        self.text = event.text
        self.move_cursor(self.document.end)
        self.focus()

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if self.revealed or not self.text:
            return strip
        return Strip(
            [Segment(masked(seg.text), seg.style, seg.control) for seg in strip],
            strip.cell_length,
        )


class CookieRow(Horizontal):
    """One value the bridge needs: found or missing, where it lives, and a masked input."""

    DEFAULT_CSS = """
    CookieRow {
        height: auto;
        .cookie-mark { width: 2; padding-top: 1; color: $text-warning; }
        &.-found .cookie-mark { color: $text-success; }
        .cookie-label { width: 1fr; padding: 1 1 0 0; }
        Input { width: 2fr; max-width: 60; }
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
        yield StepInput(
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
        Binding("ctrl+r", "toggle_reveal", "Show/hide values"),
        Binding("ctrl+n", "clear_paste", "Clear paste"),
    ]

    DEFAULT_CSS = """
    CookiesStepWidget {
        overflow-y: hidden;
        & > Instructions { max-height: 6; }
        #cookie-url { margin-bottom: 1; }
        #user-agent { margin-bottom: 1; }
        #cookie-body { height: 1fr; scrollbar-size-vertical: 1; }
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
        # Above the scrolling body, so they stay in view: where to sign in, and how.
        yield Static(self.heading, classes="step-heading")
        if self.step.instructions:
            yield step_instructions(self.step.instructions)
        yield Static("Open this page and sign in (ctrl+o opens it, ctrl+l copies the link):")
        yield Link(clean_lines(self.step.url), url=self.step.url, id="cookie-url")
        with VerticalScroll(id="cookie-body"):
            if self.step.user_agent:
                agent = Text("Sign in with a browser like: ", style="dim")
                agent.append(clean_lines(self.step.user_agent))
                yield Static(agent, classes="hint", id="user-agent")
            yield Static(PASTE_HELP)
            yield Static(self.paste_hint(), classes="hint", id="paste-hint")
            yield PasteBox(
                id="paste",
                soft_wrap=True,
                tab_behavior="focus",
                placeholder="Paste here (your terminal's paste, e.g. ctrl+shift+v)",
            )
            yield Static(self.status_text(), id="paste-status")
            yield Static("Values needed:", classes="step-heading")
            for index, wanted in enumerate(self.step.fields):
                yield CookieRow(wanted, index)
            yield Button("Submit", id="submit-cookies", variant="primary")

    def paste_hint(self) -> str:
        shown = "shown, ctrl+r hides" if self.revealed else "hidden, ctrl+r shows"
        return f"The paste and the values are {shown} them · ctrl+n clears the paste"

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
        self.revealed = False
        """Whether the paste and the values are shown as typed."""
        self._from_paste: dict[str, str] = {}
        """The values the current paste filled in, by field ID (typed ones are not here)."""
        self._paste_found_nothing = False

    def status_text(self) -> Text:
        """What the paste was read as, how many values are there, which are still missing."""
        rows = self.rows if self.is_mounted else []
        missing = [row.wanted for row in rows if not row.value] if rows else self.step.fields
        total = len(self.step.fields)
        prefix = f"Read as {self.read_as}: " if self.read_as else ""
        if self._paste_found_nothing:
            prefix += "nothing the bridge needs is in this paste. "
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
        """Read the paste again: fill every value found in it, and take back the values the
        last paste filled that this one lacks (values typed by hand stay)."""
        event.stop()
        paste = parse_cookie_paste(event.text_area.text)
        match = match_fields(paste, self.step.fields)
        for row in self.rows:
            field_id = row.wanted.id
            value = match.found.get(field_id)
            if value is None and self._from_paste.get(field_id) == row.input.value:
                row.input.value = ""
            elif value is not None and row.input.value != value:
                row.input.value = value
        self._from_paste = dict(match.found)
        self.read_as = "" if paste.is_empty else paste.format_name
        self._paste_found_nothing = bool(event.text_area.text.strip()) and not match.found
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

    def action_toggle_reveal(self) -> None:
        """ctrl+r: show or hide the paste and every value, together."""
        self.revealed = not self.revealed
        box = self.query_one("#paste", PasteBox)
        box.revealed = self.revealed
        box.refresh()
        for row in self.rows:
            row.input.password = not self.revealed
        self.query_one("#paste-hint", Static).update(self.paste_hint())

    def action_clear_paste(self) -> None:
        """ctrl+n: empty the paste area (and the values it filled), ready for a new paste."""
        box = self.query_one("#paste", PasteBox)
        box.text = ""
        box.focus()

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
