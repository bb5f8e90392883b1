"""The ``display_and_wait`` step with a QR code: black on white in the largest rendering that
fits, redrawn in place when the server rotates it, with a full-screen zoom that follows the
step, and no code at all once the session is over."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from beeper_tui.api.models import DisplayAndWaitStep, QRDisplay
from beeper_tui.loginkit.qr_text import (
    BACKGROUND,
    FOREGROUND,
    SEXTANTS,
    QRDataTooLong,
    QRText,
    fit_qr,
)
from beeper_tui.tui.login.steps.base import StepWidget, duration, step_instructions

QR_STYLE = Style(color=FOREGROUND, bgcolor=BACKGROUND)
"""Dark modules are black ink on a white cell, whatever the terminal's theme."""
GONE_LINE = "This code can no longer be scanned: its login session has ended."
TINY_HINT = "Boxes, not blocks? Press z or enlarge the window."
"""Said under a code drawn in sextants, which a terminal without them shows as boxes."""


def qr_content(drawing: QRText) -> Text:
    """The drawing as one rich Text, every cell black on white."""
    return Text("\n".join(drawing.lines), style=QR_STYLE, no_wrap=True, overflow="crop")


class QRCodeView(Widget):
    """Draws a QR code in the largest rendering that fits its area (redrawn on every resize),
    else says what size it needs; once its session is gone, a line saying so instead."""

    DEFAULT_CSS = """
    QRCodeView {
        width: 1fr;
        height: 1fr;
        min-height: 3;
        content-align: center middle;
        &.-too-small { color: $text-warning; }
        &.-gone { color: $text-muted; }
    }
    """

    data: reactive[str] = reactive("")
    """What the code holds."""
    gone: reactive[bool] = reactive(False)
    """The login session is over: the code can no longer be scanned, so it is not drawn."""

    class Redrawn(Message):
        """The view switched to another kind of drawing (another glyph set, or none)."""

    def __init__(self, data: str, *, zoomed: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zoomed = zoomed
        self.drawing: QRText | None = None
        """The rendering on screen now (None while none is drawn)."""
        self.set_reactive(QRCodeView.data, data)

    @property
    def tiny(self) -> bool:
        """Drawn in sextants: the smallest blocks, which not every terminal font has."""
        return self.drawing is not None and self.drawing.glyphs is SEXTANTS

    def render(self) -> Text:
        before = self.drawing.glyphs if self.drawing is not None else None
        text = self._render_code()
        after = self.drawing.glyphs if self.drawing is not None else None
        if after is not before:
            self.post_message(self.Redrawn())
        return text

    def _render_code(self) -> Text:
        self.drawing = None
        self.set_class(self.gone, "-gone")
        if self.gone:
            return Text(GONE_LINE)
        width, height = self.content_size
        try:
            drawing, fits = fit_qr(self.data, width, height)
        except QRDataTooLong:
            self.set_class(True, "-too-small")
            return Text(
                f"This code holds {len(self.data)} characters, too many to draw. "
                "Press y to copy its data."
            )
        self.set_class(not fits, "-too-small")
        if fits:
            self.drawing = drawing
            return qr_content(drawing)
        cols, rows = drawing.size
        advice = (
            "Make the window bigger or the font smaller. Esc goes back."
            if self.zoomed
            else "Make the window bigger or the font smaller, or press z to zoom."
        )
        return Text(f"The QR code needs {cols}×{rows} cells; there are {width}×{height}. {advice}")


class QRZoomDialog(ModalScreen[None]):
    """The QR code alone on the whole terminal. It follows its step: the step widget shows it
    each rotated code and closes it when the step is over (``close``)."""

    BINDINGS = [
        Binding("escape,z", "dismiss", "Close zoom"),
        Binding("y", "copy", "Copy data"),
        Binding("question_mark", "app.help", "Keys"),
    ]

    DEFAULT_CSS = """
    QRZoomDialog { align: center middle; }
    QRZoomDialog QRCodeView { width: 100%; height: 100%; }
    """

    def __init__(self, data: str) -> None:
        super().__init__()
        self.data = data

    def compose(self) -> ComposeResult:
        yield QRCodeView(self.data, zoomed=True, id="qr-zoomed")

    def show(self, data: str) -> None:
        """Draw a refreshed code."""
        self.data = data
        self.query_one(QRCodeView).data = data

    def close(self) -> None:
        """Leave the screen stack, wherever this is on it: the step it shows is over. (Left
        behind, the wizard's own dismiss would pop this instead of the wizard.)"""
        stack = self.app.screen_stack
        if self not in stack:
            return
        if stack[-1] is self:
            self.dismiss()
        else:  # something (help) was opened over the zoom: close that first
            self.pop_until_active()
            self.app.call_later(self.dismiss)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.data)
        self.notify("Copied the QR code's data to the clipboard.", markup=False)


class QRStepWidget(StepWidget, can_focus=True):
    """Scan this code with the phone; the screen long-polls until it is scanned or rotates."""

    BINDINGS = [
        Binding("z", "zoom", "Zoom QR"),
        Binding("y", "copy", "Copy QR data"),
    ]

    DEFAULT_CSS = """
    QRStepWidget {
        #qr-status { color: $text-muted; height: 1; }
    }
    """

    heading = "Scan the QR code with your phone"

    refreshes: reactive[int] = reactive(0)
    """How many times the server sent a new code."""

    step: DisplayAndWaitStep

    def __init__(
        self, step: DisplayAndWaitStep, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(step, id=id, classes=classes)
        self.refreshed_at: float | None = None
        self._zoom: QRZoomDialog | None = None

    @property
    def data(self) -> str:
        display = self.step.display
        return display.data if isinstance(display, QRDisplay) else ""

    def compose(self) -> ComposeResult:
        yield Static(self.heading, classes="step-heading")
        if self.step.instructions:
            yield step_instructions(self.step.instructions)
        yield Static(self.status_text(), id="qr-status")
        yield QRCodeView(self.data, id="qr-code")

    def on_mount(self) -> None:
        self.set_interval(1.0, self.update_status)

    def status_text(self) -> Text:
        """ "code refreshed (n) · Ns ago" once the server rotated the code."""
        if self.disabled:
            return Text("The login session has ended: start again for a new code.")
        if not self.refreshes or self.refreshed_at is None:
            if any(view.tiny for view in self.query(QRCodeView)):
                return Text(f"Waiting for the scan… {TINY_HINT}")
            return Text("Waiting for the scan… (z zooms, y copies the data)")
        ago = duration(self.clock() - self.refreshed_at)
        return Text(f"code refreshed ({self.refreshes}) · {ago} ago")

    @on(QRCodeView.Redrawn)
    def _code_redrawn(self) -> None:
        """The status line says so when the code is drawn in tiny blocks."""
        self.update_status()

    def update_status(self) -> None:
        """Redraw the status line (every second, for "Ns ago")."""
        self.query_one("#qr-status", Static).update(self.status_text())

    def watch_refreshes(self) -> None:
        if self.is_mounted:
            self.update_status()

    def refresh_step(self, step: object) -> bool:
        """A newer QR step: redraw the code in place and count the refresh."""
        if not (isinstance(step, DisplayAndWaitStep) and isinstance(step.display, QRDisplay)):
            return False
        changed = step.display.data != self.data
        self.step = step
        if changed:
            self.refreshed_at = self.clock()
            self.query_one(QRCodeView).data = step.display.data
            if self._zoom is not None and self._zoom.is_attached:
                self._zoom.show(step.display.data)
            self.refreshes += 1
        return True

    def watch_disabled(self, disabled: bool) -> None:
        """Disabled by the wizard once the session is over on the server (expired, gone):
        the code is replaced by a line saying so, and the zoom closes."""
        super().watch_disabled(disabled)
        if disabled:
            for view in self.query(QRCodeView):
                view.gone = True
            self._close_zoom()
        if self.is_mounted:
            self.update_status()

    def on_unmount(self) -> None:
        """The step is over (the wizard moved on, ended, or left): so is its zoom."""
        self._close_zoom()

    def _close_zoom(self) -> None:
        if self._zoom is not None:
            self._zoom.close()
            self._zoom = None

    def action_zoom(self) -> None:
        self._zoom = QRZoomDialog(self.data)
        self.app.push_screen(self._zoom)

    def action_copy(self) -> None:
        self.copy_to_clipboard(self.data, "the QR code's data")
