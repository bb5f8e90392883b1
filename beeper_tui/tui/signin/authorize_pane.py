"""``AuthorizePane``: sign in with OAuth — open the browser on Beeper Desktop's approval page,
show that address (with a copy key), wait for the answer with time left, and over SSH take the
address the browser was sent back to. The flow itself is :class:`beeper_tui.auth.OAuthSignIn`.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from beeper_tui.auth import IssuedToken, OAuthSignIn, PastedAddressInvalid, SignInError

if TYPE_CHECKING:
    from beeper_tui.tui.signin.gate import DesktopGate


class AuthorizePane(Vertical):
    """One OAuth sign-in at a time; posts ``Finished`` with the token or why there is none."""

    DEFAULT_CSS = """
    AuthorizePane {
        height: auto;
        #authorize-title { text-style: bold; margin-bottom: 1; }
        #authorize-url { color: $text-accent; margin: 0 0 1 2; }
        #authorize-wait { margin-bottom: 1; }
        #pasted-address { margin-top: 0; }
        #pasted-error { color: $error; height: auto; }
    }
    """

    class Finished(Message):
        """The sign-in ended: ``issued`` on success, else ``problem`` in words."""

        def __init__(self, issued: IssuedToken | None, problem: str) -> None:
            super().__init__()
            self.issued = issued
            self.problem = problem

    def __init__(self, gate: DesktopGate, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.gate = gate
        self.sign_in: OAuthSignIn | None = None
        self.url = ""
        self._deadline = 0.0
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("Approve beeper-tui in Beeper Desktop", id="authorize-title")
        yield Static("Asking Beeper Desktop for its approval page…", id="authorize-intro")
        yield Static("", id="authorize-url")
        yield Static("", id="authorize-wait")
        yield Static(
            "Over SSH? After approving, paste the address your browser ended on here:",
            id="pasted-hint",
        )
        yield Input(placeholder="http://127.0.0.1:…/callback?code=…", id="pasted-address")
        yield Static("", id="pasted-error")

    @property
    def waiting(self) -> bool:
        return self.sign_in is not None

    @work(exclusive=True, group="authorize")
    async def start(self) -> None:
        """Run one sign-in to its end and say how it ended."""
        self.query_one("#pasted-address", Input).value = ""
        self.query_one("#pasted-error", Static).update("")
        async with self.gate.oauth_sign_in() as sign_in:
            self.sign_in = sign_in
            try:
                self.url = await sign_in.start()
                self._show_waiting()
                self.screen.refresh_bindings()  # Esc now cancels
                issued = await sign_in.wait()
            except SignInError as exc:
                self.post_message(self.Finished(None, str(exc)))
                return
            except asyncio.CancelledError:  # the screen or the app went away meanwhile
                await sign_in.cancel()
                with contextlib.suppress(SignInError, RuntimeError):
                    await sign_in.wait()  # collect the outcome, so nothing is left unread
                raise
            finally:
                self.sign_in = None
                if self._timer is not None:
                    self._timer.stop()
                    self._timer = None
        self.post_message(self.Finished(issued, ""))

    def _show_waiting(self) -> None:
        self.query_one("#authorize-intro", Static).update(
            "Your browser was asked to open this address; if it did not, press c to copy it "
            "and open it yourself:"
        )
        self.query_one("#authorize-url", Static).update(Text(self.url, overflow="fold"))
        self._deadline = asyncio.get_running_loop().time() + self.gate.sign_in_timeout
        self._tick()
        self._timer = self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        left = max(0, int(self._deadline - asyncio.get_running_loop().time()))
        self.query_one("#authorize-wait", Static).update(
            Text.assemble(
                ("Waiting for your answer in Beeper Desktop… ", "bold"),
                f"{left // 60}:{left % 60:02d} left",
            )
        )

    async def cancel(self) -> None:
        """Stop waiting; ``Finished`` follows with the reason."""
        if self.sign_in is not None:
            await self.sign_in.cancel()

    def copy_address(self) -> None:
        if self.url:
            self.app.copy_to_clipboard(self.url)
            self.app.notify("The address is on the clipboard.", title="Copied", timeout=3)

    @on(Input.Submitted, "#pasted-address")
    def _pasted(self, event: Input.Submitted) -> None:
        self.complete_from(event.value)

    @work(exclusive=True, group="pasted")
    async def complete_from(self, address: str) -> None:
        """Finish from the address the browser was sent back to (the wait then ends)."""
        error = self.query_one("#pasted-error", Static)
        if self.sign_in is None or not address.strip():
            return
        try:
            await self.sign_in.complete_from_pasted(address)
        except PastedAddressInvalid as exc:
            error.update(Text(str(exc)))
        except SignInError:
            pass  # the wait in start() ends with the same error and says it
