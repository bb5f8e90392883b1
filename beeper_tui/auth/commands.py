"""``beeper-tui auth login | status | logout``: signing in without the TUI.

- :func:`run_login`: the OAuth sign-in (``oauth.py``) — print the URL, open the browser unless
  told not to, wait (a pasted redirect address also completes it, for SSH), save. Exit 0 signed
  in, 1 declined / timed out / cancelled, 2 error.
- :func:`run_with_token`: read a token from stdin (hidden prompt on a terminal, plain read from
  a pipe: no ``GetPassWarning``), check it with a real call, save. 0 saved, 2 not.
- :func:`run_status`: where the address and the token come from, the token masked to its last
  4 characters, whether it works (introspection, then a real call), its expiry. 0 works, 2 not.
- :func:`run_logout`: revoke an OAuth token and remove it from the config file; a token from
  the environment or a file cannot be unset from here, and says so.

The token is never printed, whole or in part beyond its last 4 characters; server text goes
through :mod:`beeper_tui.text`. No textual import.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import threading
from datetime import UTC, datetime
from typing import TextIO

import httpx

from beeper_tui.api.client import BeeperClient
from beeper_tui.api.errors import BeeperError, Unauthorized
from beeper_tui.auth.errors import PastedAddressInvalid, ServerUnreachable, SignInError
from beeper_tui.auth.oauth import OAuthSignIn, introspect, revoke
from beeper_tui.config import ConfigError, ConfigFile, Origin, SavedToken, Settings
from beeper_tui.setting_checks import check_token
from beeper_tui.text import one_line

TOKEN_HELP = "Create a token in Beeper Desktop: Settings → Developers → Approved connections → +"


def masked(token: str) -> str:
    """``…abcd``: enough to tell two tokens apart, never enough to use one."""
    return f"…{token[-4:]}" if len(token) >= 12 else "…(too short to show any of it)"


def when(moment: datetime | None) -> str:
    """``2026-12-08 20:00 UTC (in 6 days)``, or that the server did not say."""
    if moment is None:
        return "not given by Beeper Desktop"
    seconds = (moment - datetime.now(UTC)).total_seconds()
    span = abs(seconds)
    if span < 3600:
        amount = f"{max(1, round(span / 60))} min"
    elif span < 2 * 86400:
        amount = f"{round(span / 3600)} h"
    else:
        amount = f"{round(span / 86400)} days"
    relative = f"in {amount}" if seconds > 0 else f"expired {amount} ago"
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC ({relative})"


def server_line(settings: Settings) -> str:
    how = {
        Origin.FLAG: "from --base-url",
        Origin.ENV: "from BEEPER_BASE_URL",
        Origin.CONFIG: f"from the config file {settings.base_url_where}",
        Origin.PROBED: settings.base_url_where,
    }.get(settings.base_url_origin, "the default address")
    if settings.tried_ports:
        ports = settings.tried_ports
        how += f"; nothing answered on ports {ports[0]}–{ports[-1]}"
    return f"{settings.base_url} ({how})"


def token_line(settings: Settings) -> str:
    if settings.token is None:
        target = f" --target {settings.target}" if settings.target else ""
        return f"none ({settings.token_where}) — run `beeper-tui auth login{target}`"
    how = {
        Origin.FLAG: f"from {settings.token_where}",
        Origin.ENV: "from BEEPER_ACCESS_TOKEN",
        Origin.CONFIG: f"saved in {settings.token_where}",
    }[settings.token_origin]
    if settings.saved is not None:
        how += ", signed in with OAuth" if settings.saved.kind == "oauth" else ", pasted"
    return f"{masked(settings.token)}, {how}"


# --- auth login ---------------------------------------------------------------------------------


def _lines_of(stdin: TextIO | None, loop: asyncio.AbstractEventLoop) -> asyncio.Queue[str]:
    """Lines typed or pasted on stdin, read by a daemon thread (a blocked read must never
    keep the process from exiting); nothing at all when stdin is closed. Ctrl-D on a terminal
    arrives as ``""`` (the person is done); the end of a pipe or /dev/null is just the end."""
    lines: asyncio.Queue[str] = asyncio.Queue()
    if stdin is None or stdin.closed:
        return lines

    def read() -> None:
        with contextlib.suppress(Exception):
            for line in iter(stdin.readline, ""):
                if line.strip():
                    loop.call_soon_threadsafe(lines.put_nowait, line)
            if stdin.isatty():
                loop.call_soon_threadsafe(lines.put_nowait, "")

    threading.Thread(target=read, name="beeper-tui-paste", daemon=True).start()
    return lines


async def _pastes(sign_in: OAuthSignIn, lines: asyncio.Queue[str], err: TextIO) -> None:
    while True:
        line = await lines.get()
        if not line:
            await sign_in.cancel()
            return
        try:
            await sign_in.complete_from_pasted(line)
            return
        except PastedAddressInvalid as exc:
            print(exc, file=err, flush=True)
        except SignInError:
            return  # the waiting side reports it


def _save(config: ConfigFile, saved: SavedToken, settings: Settings) -> None:
    """Into ``[auth]``, or ``[targets.NAME.auth]`` for a named target (with its address,
    which a new target gets from ``--base-url``)."""
    config.set_token(saved, settings.target)
    if settings.target is not None:
        config.set_target_base_url(settings.target, settings.base_url)
    elif settings.base_url_origin is Origin.FLAG:
        config.base_url = settings.base_url
    config.save()


def _for_target(settings: Settings) -> str:
    """`` (target work)`` after "Beeper Desktop" when the settings are a named target's."""
    return f" (target {settings.target})" if settings.target else ""


async def run_login(
    settings: Settings,
    config: ConfigFile,
    *,
    open_browser: bool = True,
    timeout: float = 300.0,
    out: TextIO,
    err: TextIO,
    stdin: TextIO | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    config.check_writable()
    async with OAuthSignIn(
        settings.base_url,
        transport=transport,
        custom_headers=settings.custom_headers,
        open_browser=open_browser,
        timeout=timeout,
    ) as sign_in:
        try:
            url = await sign_in.start()
        except SignInError as exc:
            print(f"beeper-tui: {exc}", file=err)
            return exc.exit_code
        minutes = f"{timeout / 60:g} minutes" if timeout >= 60 else f"{timeout:g} seconds"
        opening = "Opening your browser" if open_browser else "Open this address in a browser"
        print(
            f"Signing in to Beeper Desktop{_for_target(settings)} at {server_line(settings)}.\n"
            f"{opening} to approve beeper-tui in Beeper Desktop:\n\n  {url}\n\n"
            f"Waiting up to {minutes} (Ctrl-C to stop). If the browser runs on another "
            "computer (SSH), paste the address it ended on here and press Enter.",
            file=out,
            flush=True,
        )
        pasting = asyncio.ensure_future(
            _pastes(sign_in, _lines_of(stdin, asyncio.get_running_loop()), err)
        )
        try:
            issued = await sign_in.wait()
        except SignInError as exc:
            print(f"beeper-tui: {exc}", file=err)
            return exc.exit_code
        finally:
            pasting.cancel()
    saved = SavedToken(
        token=issued.access_token,
        kind="oauth",
        server=issued.server,
        client_id=issued.client_id,
        expires_at=issued.expires_at,
    )
    try:
        _save(config, saved, settings)
    except ConfigError:
        with contextlib.suppress(SignInError):  # do not leave a working token behind
            await revoke(
                settings.base_url,
                issued.access_token,
                client_id=issued.client_id,
                transport=transport,
                custom_headers=settings.custom_headers,
            )
        raise
    print(
        f"Signed in. The token is saved in {config.path} (readable by you only); "
        f"it expires {when(issued.expires_at)}.",
        file=out,
    )
    return 0


# --- auth login --with-token --------------------------------------------------------------------


def read_token(stdin: TextIO, err: TextIO) -> str:
    """A token from a terminal (hidden) or a pipe; raises :class:`ConfigError`."""
    if stdin.isatty():
        print(TOKEN_HELP, file=err)
        try:
            text = getpass.getpass("Access token (input hidden): ")
        except EOFError:
            raise ConfigError("No token given (input ended); nothing saved.") from None
    else:
        text = stdin.read(64 * 1024)
    if not text.strip():
        raise ConfigError("No token given; nothing saved.")
    return check_token(text, "The token given")


async def _real_request(
    settings: Settings, token: str, transport: httpx.AsyncBaseTransport | None
) -> BeeperError | None:
    """Try ``token`` on a real request (the accounts list): None when it worked, else what
    went wrong (:class:`Unauthorized` when Beeper Desktop refused the token)."""
    async with BeeperClient(
        settings.base_url, token, custom_headers=settings.custom_headers, transport=transport
    ) as client:
        try:
            await client.accounts()
        except BeeperError as exc:
            return exc
    return None


async def run_with_token(
    settings: Settings,
    config: ConfigFile,
    *,
    stdin: TextIO,
    out: TextIO,
    err: TextIO,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    config.check_writable()
    token = read_token(stdin, err)
    problem = await _real_request(settings, token, transport)
    if isinstance(problem, Unauthorized):
        print("beeper-tui: Beeper Desktop refused this token; nothing saved.", file=err)
        return 2
    if problem is not None:
        reason = one_line(problem.explanation, 200)
        print(f"beeper-tui: can't check the token: {reason} Nothing saved.", file=err)
        return 2
    _save(config, SavedToken(token=token, kind="pasted", server=settings.base_url), settings)
    print(f"Token checked and saved in {config.path} (readable by you only).", file=out)
    return 0


# --- auth status --------------------------------------------------------------------------------


async def _works(
    settings: Settings, token: str, transport: httpx.AsyncBaseTransport | None
) -> tuple[bool | None, str, datetime | None]:
    """(works?, in words, expiry). ``None``: could not tell."""
    expires = settings.saved.expires_at if settings.saved else None
    try:
        status = await introspect(
            settings.base_url, token, transport=transport, custom_headers=settings.custom_headers
        )
    except ServerUnreachable as exc:
        return None, f"can't tell: {exc}", expires
    if status is not None and status.active:
        return True, "yes (Beeper Desktop says it is active)", status.expires_at or expires
    problem = await _real_request(settings, token, transport)
    if isinstance(problem, Unauthorized):
        return False, "no: Beeper Desktop refused it (expired or revoked?)", expires
    if problem is not None:
        return None, f"can't tell: {one_line(problem.explanation, 200)}", expires
    return True, "yes (a real request with it succeeded)", expires


async def run_status(
    settings: Settings,
    *,
    out: TextIO,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    if settings.target is not None:
        print(f"Target:         {settings.target}", file=out)
    print(f"Beeper Desktop: {server_line(settings)}", file=out)
    print(f"Token:          {token_line(settings)}", file=out)
    if settings.token is None:
        return 2
    works, words, expires = await _works(settings, settings.token, transport)
    print(f"Works:          {words}", file=out)
    print(f"Expires:        {when(expires)}", file=out)
    return 0 if works else 2


# --- auth logout --------------------------------------------------------------------------------


async def run_logout(
    settings: Settings,
    config: ConfigFile,
    *,
    out: TextIO,
    err: TextIO,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    code = 0
    if settings.token_origin is Origin.ENV:
        print(
            "The token comes from BEEPER_ACCESS_TOKEN; beeper-tui can't unset a variable of "
            "your shell: run `unset BEEPER_ACCESS_TOKEN`.",
            file=err,
        )
        code = 1
    elif settings.token_origin is Origin.FLAG:
        print(f"The token comes from {settings.token_where}; delete that file yourself.", file=err)
        code = 1
    saved = config.saved_token_for(settings.target)
    if saved is None:
        if code == 0:
            print("No saved token; nothing to do.", file=out)
        return code
    config.check_writable()
    if saved.kind == "oauth":
        server = saved.server or settings.base_url
        try:
            await revoke(
                server,
                saved.token,
                client_id=saved.client_id,
                transport=transport,
                custom_headers=settings.custom_headers,
            )
            print(f"Revoked the token at {server}.", file=out)
        except SignInError as exc:
            print(
                f"Could not revoke the token ({exc}); it works until {when(saved.expires_at)}.",
                file=err,
            )
    else:
        print(
            "This token was pasted: to stop it working, delete it in Beeper Desktop "
            "(Settings → Developers → Approved connections).",
            file=out,
        )
    config.clear_token(settings.target)
    config.save()
    table = f" ([targets.{settings.target}.auth])" if settings.target else ""
    print(f"Removed the token from {config.path}{table}.", file=out)
    return code
