"""``DesktopGate``: the app's collaborator for getting to the accounts and staying signed in.

At start-up it asks Beeper Desktop (``first_check``) and opens the screen that gives a way
forward; each of those screens dismisses with what comes :data:`Next`, which the gate routes
until the accounts are shown. From then on it is the client's ``on_unauthorized`` hook: a
token Beeper Desktop stops accepting (after a second request confirms it) opens the sign-in
over whatever is shown, every refused request waits for it, and goes on with the new token;
the screens underneath (an open login wizard with its session) never notice.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual.screen import Screen

from beeper_tui.api import errors
from beeper_tui.api.client import BeeperClient
from beeper_tui.config import ConfigError, Origin, Settings, save_token
from beeper_tui.connect import connect, connect_demo
from beeper_tui.setting_checks import check_base_url
from beeper_tui.tui.signin.first_check import DesktopCheck, check_desktop
from beeper_tui.tui.signin.signed_in import Next, SignedIn

if TYPE_CHECKING:
    from beeper_tui.auth import OAuthSignIn
    from beeper_tui.tui.app import BeeperApp

#: Five minutes to approve in Beeper Desktop (``beeper_tui.auth.DEFAULT_TIMEOUT``).
SIGN_IN_TIMEOUT = 300.0


def _same_server(a: str, b: str) -> bool:
    return a.rstrip("/").lower() == b.rstrip("/").lower()


class DesktopGate:
    """Chooses the first screen, and signs in again when the token stops working."""

    def __init__(self, app: BeeperApp) -> None:
        self.app = app
        #: How long an authorization in Beeper Desktop may take (tests shorten it).
        self.sign_in_timeout = SIGN_IN_TIMEOUT
        #: When the token in use stops working, when known (a token issued by sign-in).
        self.expires_at: datetime | None = None
        #: The token the client sends (to try it on a client of its own, never shown).
        self._token: str | None = None
        self._signing_in: asyncio.Future[str | None] | None = None
        self._lock = asyncio.Lock()
        self._home_shown = False

    # --- What the screens ask --------------------------------------------------------------

    @property
    def client(self) -> BeeperClient:
        return self.app.client

    @property
    def base_url(self) -> str:
        return self.client.base_url

    @property
    def tried_ports(self) -> tuple[int, ...]:
        """The ports discovery asked without an answer, when it looked."""
        settings = self.app.conn.settings
        return settings.tried_ports if settings is not None else ()

    async def check(self, *, look_again: bool = False) -> DesktopCheck:
        """Ask Beeper Desktop where things stand; with ``look_again``, when nobody named an
        address, look for it on the other ports first (it may have started on another)."""
        if look_again:
            await self._look_again()
        return await check_desktop(self.client)

    async def _look_again(self) -> None:
        conn = self.app.conn
        settings = conn.settings
        if settings is None or conn.transport is not None or not settings.needs_discovery:
            return
        from beeper_tui.discovery import discover

        found = await discover(settings)
        if _same_server(found.base_url, self.base_url):
            self.app.conn = replace(conn, settings=found)  # the ports tried, this time
        else:
            self._switch_to(found)

    def _switch_to(self, settings: Settings) -> None:
        """Talk to Beeper Desktop at ``settings.base_url`` from now on, with the token in use
        — unless it is a saved one issued by another server (it is sent only there)."""
        old = self.app.conn
        saved = old.settings.saved if old.settings is not None else None
        token = self._token
        if saved is not None and saved.server and not _same_server(saved.server, settings.base_url):
            token = None
        self.app.conn = connect(replace(settings, token=token), transport=old.transport)
        self._token = token
        self._close_later(old.client)

    def use_address(self, url: str) -> str | None:
        """Talk to Beeper Desktop at ``url`` from now on; why not, when it cannot be used."""
        old = self.app.conn
        allow_remote = old.settings.allow_remote if old.settings is not None else False
        try:
            url = check_base_url(url, "That address", allow_remote=allow_remote)
        except ConfigError as exc:
            return str(exc)
        settings = old.settings or Settings(token=self._token)
        self._switch_to(
            replace(
                settings,
                base_url=url,
                base_url_origin=Origin.FLAG,
                base_url_where="the address entered",
                tried_ports=(),
            )
        )
        return None

    def oauth_sign_in(self) -> OAuthSignIn:
        """A sign-in with Beeper Desktop at the address in use."""
        from beeper_tui.auth import OAuthSignIn  # the browser and callback only when asked

        conn = self.app.conn
        headers = conn.settings.custom_headers if conn.settings else None
        return OAuthSignIn(
            self.base_url,
            transport=conn.transport,
            custom_headers=headers,
            timeout=self.sign_in_timeout,
        )

    async def token_problem(self, token: str) -> str | None:
        """Why ``token`` cannot be used (a real request tries it), or None when it works."""
        if not all(33 <= ord(char) <= 126 for char in token):
            return "That is not a token: a token is letters, digits and punctuation only."
        try:
            await self._works(token)
        except errors.Unauthorized:
            return "Beeper Desktop refused this token. Check that you copied all of it."
        except errors.BeeperError as exc:
            return exc.explanation
        return None

    async def _works(self, token: str) -> None:
        """A request with ``token`` on a client of its own (no sign-in hook on it)."""
        conn = self.app.conn
        headers = conn.settings.custom_headers if conn.settings else None
        async with BeeperClient(
            self.base_url, token, transport=conn.transport, custom_headers=headers, retries=0
        ) as probe:
            await probe.accounts()

    # --- The first screen ----------------------------------------------------------------------

    def start(self, bridges: Awaitable[object] | None, setup: Awaitable[object] | None) -> None:
        """Open the accounts at once when there is a token (the usual case: nothing waits),
        and check in the background; otherwise check first."""
        self._token = self._opened_with()
        settings = self.app.conn.settings
        if settings is not None and settings.saved is not None:
            self.expires_at = settings.saved.expires_at
        if self.client.has_token:
            self._show_home()
        self.app.run_worker(self._first_check(bridges, setup), group="first-screen")

    async def _first_check(
        self, bridges: Awaitable[object] | None, setup: Awaitable[object] | None
    ) -> None:
        check = await check_desktop(
            self.client,
            bridges=_waited(bridges) if bridges else None,
            setup=_waited(setup) if setup else None,
        )
        self.route(check)

    def route(self, step: Next) -> None:
        """Open what comes next (each first screen dismisses here). Each screen is imported
        only when it is shown: on the usual start ("ready") importing all three delayed the
        first frame with the accounts by 10-20 ms."""
        if step is None:
            self.app.exit()
        elif step == "demo":
            self._use_demo()
        elif isinstance(step, SignedIn):
            self._keep(step)
            self._show_home()
            self.watch_token()
        elif step.verdict == "ready":
            self._show_home()
            self.watch_token()
        elif step.verdict == "unreachable":
            from beeper_tui.tui.signin.not_reachable import NotReachableScreen

            self._show_first(NotReachableScreen(self, step.problem))
        elif step.verdict == "setup":
            from beeper_tui.tui.signin.desktop_setup import DesktopSetupScreen

            self._show_first(DesktopSetupScreen(self, step.setup_state or "unknown"))
        else:
            from beeper_tui.tui.signin.sign_in import SignInScreen

            self._show_first(SignInScreen(self, self.reason(step), first_screen=True))

    def reason(self, step: DesktopCheck | None = None) -> str:
        """Why a sign-in is asked for, in words: no token, refused, or expired."""
        if not self.client.has_token or (step is not None and step.verdict == "no-token"):
            return "beeper-tui has no access token for Beeper Desktop yet."
        if self.expires_at is not None and self.expires_at <= datetime.now(UTC):
            return "Your sign-in has expired; sign in again to go on."
        settings = self.app.conn.settings
        where = ""
        if settings is not None and self._token == settings.token:
            if settings.token_origin is Origin.CONFIG:
                where = " saved on this computer"
            elif settings.token_origin in (Origin.ENV, Origin.FLAG):
                where = f" from {settings.token_where}"
        return f"Beeper Desktop refused the access token{where}."

    def _show_first(self, screen: Screen[Next]) -> None:
        """Replace what is shown (the accounts opened hopefully, or another first screen)."""
        self.app.take_first_bridges()  # that answer is stale now: the accounts will ask anew
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        self._home_shown = False
        self.app.push_screen(screen, callback=self.route)

    def _show_home(self) -> None:
        from beeper_tui.tui.accounts.screen import AccountsScreen

        if self._home_shown:
            return
        self._home_shown = True
        self.app.push_screen(AccountsScreen())

    def _use_demo(self) -> None:
        old = self.app.conn
        self.app.conn = connect_demo()
        self._token, self.expires_at = self._opened_with(), None
        self._close_later(old.client)
        self._show_home()
        self.watch_token()

    def _keep(self, signed_in: SignedIn) -> None:
        """Use the token from now on; save it when asked to (the file is 0600)."""
        self.client.set_token(signed_in.token)
        self._token = signed_in.token
        self.expires_at = signed_in.expires_at
        if not signed_in.remember:
            return
        try:
            path = save_token(
                signed_in.token,
                kind=signed_in.kind,
                server=self.base_url,
                client_id=signed_in.client_id,
                expires_at=signed_in.expires_at,
            )
        except (ConfigError, OSError) as exc:
            self.app.notify(f"The token works but was not saved: {exc}", severity="warning")
            return
        settings = self.app.conn.settings
        note = f"Signed in; the token is saved in {path} (readable by you only)."
        if settings is not None and settings.token_origin is Origin.ENV:
            note += " BEEPER_ACCESS_TOKEN still holds the refused one: unset it."
        self.app.notify(note, title="Signed in", markup=False)

    def _close_later(self, client: BeeperClient) -> None:
        async def close() -> None:
            with contextlib.suppress(Exception):
                await client.aclose()

        self.app.run_worker(close(), group="close-client")

    # --- Later: a token that stops working ----------------------------------------------------

    def watch_token(self) -> None:
        """Be asked whenever Beeper Desktop refuses the token from now on."""
        if self._token is None:
            self._token = self._opened_with()
        self.client.on_unauthorized = self.token_refused

    def stop(self) -> None:
        """The app is leaving: refusals now are just errors (no sign-in on the way out)."""
        self.client.on_unauthorized = None
        if self._signing_in is not None and not self._signing_in.done():
            self._signing_in.set_result(None)

    async def token_refused(self, error: errors.Unauthorized) -> str | None:
        """The client's hook: a new token once the person signed in again, or None."""
        async with self._lock:
            if self._signing_in is None:
                if await self._still_works():
                    return None  # refused once, accepted now: a passing refusal
                self._signing_in = asyncio.get_running_loop().create_future()
                self._push_sign_in_again(self._signing_in)
            waiting = self._signing_in
        try:
            return await asyncio.shield(waiting)
        finally:
            if waiting.done() and self._signing_in is waiting:
                self._signing_in = None

    async def _still_works(self) -> bool:
        """Whether the token in use works for a request of its own (a refusal can pass)."""
        token = self._token
        if not token:
            return False
        try:
            await self._works(token)
        except errors.Unauthorized:
            return False
        except errors.BeeperError:
            return True  # not a refusal: let the request's own error speak
        return True

    def _opened_with(self) -> str | None:
        """The token the connection in use was opened with."""
        conn = self.app.conn
        if conn.settings is not None:
            return conn.settings.token
        return conn.world.token if conn.world is not None else None

    def _push_sign_in_again(self, waiting: asyncio.Future[str | None]) -> None:
        from beeper_tui.tui.signin.sign_in import SignInScreen

        def ended(step: Next) -> None:
            token: str | None = None
            if isinstance(step, SignedIn):
                self._keep(step)
                token = step.token
            if not waiting.done():
                waiting.set_result(token)

        screen = SignInScreen(self, self.reason(), first_screen=False)
        self.app.push_screen(screen, callback=ended)


async def _waited(answer: Awaitable[object]) -> object:
    """The answer of a task asked for at start-up, without cancelling it when this waiter is
    cancelled (the accounts screen takes the same answer)."""
    task = asyncio.ensure_future(answer)
    await asyncio.wait([task])
    return task.result()
