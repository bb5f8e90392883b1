"""The ``beeper-tui`` command: the account manager, and its headless subcommands.

Each subcommand imports only what it needs, so ``status`` and ``watch`` never load textual.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

# httpx imports its own command-line client (click, rich, pygments) when it can, and falls back
# to a stub when that import fails. We never use it: skipping it saves ~60 ms on every start of
# a headless command. Set before anything imports httpx.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

from beeper_tui import __version__  # noqa: E402
from beeper_tui.config import ConfigError, ConfigFile, Settings  # noqa: E402
from beeper_tui.connect import Connection, connect, connect_demo  # noqa: E402
from beeper_tui.gc_pause import resume_collection  # noqa: E402

if TYPE_CHECKING:
    from beeper_tui.connect import NamedConnection
    from beeper_tui.request_log import RequestLog
    from beeper_tui.tui.app import BeeperApp


def _connection_options(*, top: bool) -> argparse.ArgumentParser:
    """Where Beeper Desktop is and how to reach it, accepted before or after the command.
    On a subcommand each default is SUPPRESS, so a flag given before the command stands."""
    parent = argparse.ArgumentParser(add_help=False)
    unset, off = (None, False) if top else (argparse.SUPPRESS, argparse.SUPPRESS)
    parent.add_argument(
        "--demo",
        action="store_true",
        default=off,
        help="use the embedded Beeper Desktop simulator (no Beeper Desktop needed)",
    )
    parent.add_argument(
        "--base-url",
        metavar="URL",
        default=unset,
        help="Beeper Desktop API address (default: $BEEPER_BASE_URL, the config file, or "
        "found on 127.0.0.1)",
    )
    parent.add_argument(
        "--token-file",
        metavar="PATH",
        default=unset,
        help="read the access token from this file (before $BEEPER_ACCESS_TOKEN and the "
        "config file)",
    )
    parent.add_argument(
        "--allow-remote",
        action="store_true",
        default=off,
        help="allow a plain http:// address on another computer (the token would cross the "
        "network unencrypted)",
    )
    parent.add_argument(
        "--target",
        metavar="NAME",
        default=unset,
        help="only the Beeper Desktop of the config file's [targets.NAME] (default: every "
        "target; `default` is the top-level settings)",
    )
    parent.add_argument(
        "--log",
        metavar="FILE",
        default=unset,
        help="append a line per request, login step, account change and error to FILE "
        "(default: $BEEPER_TUI_LOG; off). Secrets are never written; the file is mode 0600",
    )
    return parent


def _login_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    off, timeout = (False, 300.0) if top else (argparse.SUPPRESS, argparse.SUPPRESS)
    parser.add_argument(
        "--no-browser",
        action="store_true",
        default=off,
        help="print the address to open instead of opening a browser",
    )
    parser.add_argument(
        "--with-token",
        action="store_true",
        default=off,
        help="read an access token from stdin instead (checked before it is saved)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive_seconds,
        metavar="SECONDS",
        help="how long to wait for the approval (default 300)",
        default=timeout,
    )


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text[:20]!r}") from None
    if not 0 < value < 86400:
        raise argparse.ArgumentTypeError("must be more than 0 and less than a day")
    return value


def build_parser() -> argparse.ArgumentParser:
    shared = _connection_options(top=False)
    parser = argparse.ArgumentParser(
        prog="beeper-tui",
        parents=[_connection_options(top=True)],
        description="See which Beeper chat accounts are broken and reconnect them in a few keys.",
        epilog="Sign in with `beeper-tui auth login` (or set $BEEPER_ACCESS_TOKEN).",
    )
    parser.add_argument("--version", action="version", version=f"beeper-tui {__version__}")
    parser.add_argument(
        "--refresh",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="how often to poll account health (default 10)",
    )
    parser.add_argument("--bell", action="store_true", help="ring the terminal bell on breakage")
    parser.add_argument(
        "--notify",
        action="store_true",
        help="a desktop notification when an account needs attention, and when it is back",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    status = sub.add_parser(
        "status",
        parents=[shared],
        help="print accounts and their health, then exit",
        description="Exit 0 when all accounts are fine, 1 when any needs attention, 2 on error. "
        "On a terminal the text is coloured and wrapped to its width; into a pipe it is plain, "
        "one line per account.",
    )
    status.add_argument("--json", action="store_true", help="machine-readable output")

    login = sub.add_parser(
        "login",
        parents=[shared],
        help="open the login wizard for a network, then exit",
        description="Exit 0 when connected, 1 when cancelled or failed, 2 on error (an unknown "
        "or ambiguous NETWORK, no terminal). Prints how it ended in one line.",
    )
    login.add_argument(
        "bridge",
        metavar="NETWORK",
        help="bridge ID, bridge type or network name, any case (whatsapp = local-whatsapp)",
    )
    login.add_argument("--flow", help="login flow ID (default: ask when there are several)")
    login.add_argument("--login-id", help="reconnect this bridge login")
    login.add_argument("--account-id", help="reconnect this account")

    watch = sub.add_parser(
        "watch",
        parents=[shared],
        help="print every account's status, then a line per status change",
        description="First the state at start (a line per account; with --json one snapshot "
        "record), then one line (a change record) per account status change, until Ctrl-C.",
    )
    watch.add_argument("--json", action="store_true", help="NDJSON output")
    watch.add_argument(
        "--interval", type=float, default=10.0, metavar="SECONDS", help="poll interval"
    )
    watch.add_argument(
        "--notify",
        action="store_true",
        default=argparse.SUPPRESS,  # so `beeper-tui --notify watch` stands too
        help="a desktop notification when an account needs attention, and when it is back "
        "(none for the state at start)",
    )
    watch.add_argument(
        "--exec",
        metavar="CMD",
        help="run the shell command CMD once per change (not for the state at start), the "
        "change as JSON on its stdin (a failing or slow one is reported on stderr; the watch "
        "goes on)",
    )

    sim = sub.add_parser(
        "sim",
        help="serve the embedded Beeper Desktop simulator on 127.0.0.1",
        description="Serve a simulated Beeper Desktop API on 127.0.0.1 (for curl, the SDKs, "
        "or another beeper-tui). The phone side scans codes by itself unless --manual.",
    )
    _simulator_options(sim)

    _auth_parser(sub, shared)
    return parser


def _auth_parser(sub: argparse._SubParsersAction, shared: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    auth = sub.add_parser(
        "auth",
        parents=[shared],
        help="sign in to Beeper Desktop, check or forget the token (plain `auth` = `auth login`)",
        description="Sign in to Beeper Desktop with OAuth (you approve beeper-tui in Beeper "
        "Desktop), see where the token comes from and whether it works, or forget it.",
    )
    _login_options(auth, top=True)
    actions = auth.add_subparsers(dest="auth_command", metavar="ACTION")
    login = actions.add_parser(
        "login",
        parents=[shared],
        help="approve beeper-tui in Beeper Desktop and save the token",
        description="Exit 0 when signed in, 1 when declined or timed out, 2 on error.",
    )
    _login_options(login, top=False)
    actions.add_parser(
        "status",
        parents=[shared],
        help="where the address and token come from, and whether the token works",
        description="Exit 0 when the token works, 2 when it does not or can't be checked.",
    )
    actions.add_parser(
        "logout",
        parents=[shared],
        help="revoke the saved token and remove it from the config file",
    )


def _targets(args: argparse.Namespace, config: ConfigFile | None = None) -> list[Settings]:
    """The settings of every Beeper Desktop this command covers (``--target`` narrows)."""
    from beeper_tui.config_targets import resolve_targets

    return resolve_targets(
        config if config is not None else ConfigFile.load(),
        target=args.target,
        base_url=args.base_url,
        token_file=args.token_file,
        allow_remote=args.allow_remote,
    )


def _settings(args: argparse.Namespace, config: ConfigFile | None = None) -> Settings:
    """The one Beeper Desktop a command that acts on one uses: ``--target``'s, or the only
    one; with several and no ``--target`` it asks which (a :class:`ConfigError`, exit 2)."""
    found = _targets(args, config)
    if len(found) > 1:
        from beeper_tui.config_targets import target_label

        names = ", ".join(target_label(settings) for settings in found)
        raise ConfigError(
            f"{args.command or 'beeper-tui'} acts on one Beeper Desktop and several are "
            f"configured ({names}): say which with --target NAME."
        )
    return found[0]


def _connection(args: argparse.Namespace) -> Connection:
    log = _request_log(args)
    if args.demo:
        return connect_demo(log=log)
    from beeper_tui.discovery import discover_now

    return connect(discover_now(_settings(args)), log=log)


def _connections(args: argparse.Namespace) -> list[Connection]:
    """A connection to every Beeper Desktop the command covers (one in demo mode)."""
    return [named.connection for named in _named_connections(args)]


def _named_connections(args: argparse.Namespace) -> list[NamedConnection]:
    """:func:`_connections` with each target's name (``default`` for the top level)."""
    from beeper_tui.config_targets import DEFAULT_TARGET, target_label
    from beeper_tui.connect import NamedConnection

    if args.demo:
        return [NamedConnection(DEFAULT_TARGET, _connection(args))]
    from beeper_tui.discovery import discover_now

    log = _request_log(args)
    return [
        NamedConnection(target_label(settings), connect(discover_now(settings), log=log))
        for settings in _targets(args)
    ]


def _notify(args: argparse.Namespace) -> bool:
    """``--notify``, or ``notify = true`` in the config file."""
    return bool(args.notify) or ConfigFile.load().document.get("notify") is True


def _request_log(args: argparse.Namespace) -> RequestLog | None:
    """The ``--log`` file (or ``$BEEPER_TUI_LOG``), opened; None when logging is off."""
    import os

    from beeper_tui.request_log import LogError, RequestLog, log_path_from

    path = log_path_from(getattr(args, "log", None), os.environ)
    if path is None:
        return None
    try:
        return RequestLog.open(path)
    except LogError as exc:
        raise ConfigError(str(exc)) from None


def _simulator_options(parser: argparse.ArgumentParser) -> None:
    """The ``sim`` command's options, mapping one to one onto ``sim.serve.serve``."""
    parser.add_argument("--port", type=int, default=23373, help="port (0 = any free)")
    parser.add_argument("--token", help="access token to accept (default: a random one)")
    parser.add_argument(
        "--manual", action="store_true", help="no auto-scan: POST /_sim/scan to scan"
    )
    parser.add_argument(
        "--latency", type=float, default=0.0, metavar="SECONDS", help="delay every request"
    )
    parser.add_argument(
        "--fail-rate", type=float, default=0.0, metavar="FRACTION", help="answer 500 at random"
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="KIND[:PATH[:TIMES]]",
        help="latency|status|malformed|drop|ratelimit|unauthorized or a status such as 503; "
        "repeatable (e.g. --fault drop:/v1/bridges:1)",
    )
    parser.add_argument(
        "--extra-accounts", type=int, default=0, metavar="N", help="N more generated accounts"
    )
    parser.add_argument(
        "--no-live", action="store_true", help="accounts never change by themselves"
    )
    parser.add_argument(
        "--setup-state",
        default="ready",
        metavar="STATE",
        help="what GET /v1/app/setup reports: needs-login, initializing, needs-verification, "
        "needs-first-sync, … (Beeper Desktop not signed in or still setting up) or ready",
    )


#: Exit codes, for scripts: 0 fine, 1 needs attention (status) or cancelled (login), 2 error,
#: 130 interrupted (Ctrl-C on a headless command).
EXIT_ERROR, EXIT_INTERRUPTED = 2, 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; every way it can fail ends in one line on stderr and an exit
    code, never a traceback, and an unexpected failure never exits 1 (``status``'s "needs
    attention")."""
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except ConfigError as exc:
        print(f"beeper-tui: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (``status | head -1``): nothing more to say,
        # and nothing may be written on the way out either.
        _silence_stdout()
        return EXIT_ERROR
    except Exception as exc:  # a bug: say where, never what (the text may hold a secret)
        with contextlib.suppress(OSError):  # stderr may be a terminal that is gone
            print(f"beeper-tui: internal error ({_where(exc)}); please report it.", file=sys.stderr)
        return EXIT_ERROR


def _where(exc: BaseException) -> str:
    """The exception's class and the innermost frame it came from: enough to report a bug,
    free of the exception's text (which may quote a token or a server string)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return type(exc).__name__
    code = tb.tb_frame.f_code
    place = f"{code.co_filename.rsplit('/', 1)[-1]}:{tb.tb_lineno}"
    return f"{type(exc).__name__} in {code.co_name}, {place}"


def _silence_stdout() -> None:
    import os

    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _run(args: argparse.Namespace) -> int:
    command = args.command
    if command not in (None, "login"):
        resume_collection()  # headless: only the TUI waits for its first frame
    if command == "status":
        from beeper_tui.status_targets import run_status_targets

        return asyncio.run(
            run_status_targets(
                _named_connections(args), as_json=args.json, out=sys.stdout, err=sys.stderr
            )
        )
    if command == "watch":
        from beeper_tui.alerts.account_alerts import desktop_alerts
        from beeper_tui.alerts.exec_hook import ExecHook
        from beeper_tui.watch_targets import run_watch_targets

        return asyncio.run(
            run_watch_targets(
                _named_connections(args),
                as_json=args.json,
                interval=args.interval,
                out=sys.stdout,
                alerts=desktop_alerts(sys.stderr) if _notify(args) else None,
                exec_hook=ExecHook(args.exec) if args.exec else None,
            )
        )
    if command == "sim":
        from beeper_tui.sim.serve import run

        return run(args)
    if command == "auth":
        return _auth(args)
    if command == "login":
        return _login(args)
    from beeper_tui.tui.app import BeeperApp

    first, *more = _named_connections(args)
    app = BeeperApp(
        first.connection,
        refresh=args.refresh,
        bell=args.bell,
        notify=_notify(args),
        target_name=first.name,
        more_targets=more,
    )
    return _exit_code(app, app.run())


def _exit_code(app: BeeperApp, result: int | None) -> int:
    from beeper_tui.login_command import left_open_line, say_outcome

    if line := left_open_line(app.left_open):
        say_outcome(line, sys.stderr)  # nothing, quietly, when the terminal is gone
    if isinstance(result, int):
        return result
    code = app.return_code or 0
    # Textual exits 1 after a crash it printed; 1 means "needs attention / cancelled" here.
    return EXIT_ERROR if code == 1 else code


def _login(args: argparse.Namespace) -> int:
    """``login NETWORK``: find the bridge and check for a terminal before the full screen
    opens (either failing is one line on stderr and exit 2), then one line on how it ended."""
    from beeper_tui.api.errors import BeeperError
    from beeper_tui.login_command import (
        NoSuchBridge,
        find_bridge,
        say_outcome,
        terminal_missing,
    )
    from beeper_tui.status import error_line

    try:
        bridge = asyncio.run(find_bridge(_connection(args), args.bridge))
    except (NoSuchBridge, BeeperError) as exc:
        why = str(exc) if isinstance(exc, NoSuchBridge) else error_line(exc)
        print(f"beeper-tui: {why}", file=sys.stderr)
        return EXIT_ERROR
    missing = terminal_missing(sys.stdin, sys.stdout)
    if missing:
        print(f"beeper-tui: {missing}", file=sys.stderr)
        return EXIT_ERROR
    from beeper_tui.tui.app import BeeperApp

    app = BeeperApp(
        _connection(args),
        login_target=(bridge.id, args.flow, args.login_id, args.account_id),
    )
    code = _exit_code(app, app.run())
    from beeper_tui.tui.login.outcome import final_line

    outcome = app.login_wizard.outcome if app.login_wizard is not None else None
    say_outcome(final_line(outcome, bridge), sys.stdout)  # nothing, quietly, with no terminal
    return code


def _auth_settings(args: argparse.Namespace, config: ConfigFile, action: str) -> Settings:
    """The target ``auth`` acts on: ``--target NAME`` (``auth login --target NEW --base-url
    URL`` makes a new one), else the top-level settings, as before targets existed."""
    from beeper_tui.config_targets import DEFAULT_TARGET, resolve_target

    name = args.target or DEFAULT_TARGET
    new = action == "login" and args.base_url is not None and name not in config.targets
    return resolve_target(
        config,
        name,
        base_url=args.base_url,
        token_file=args.token_file,
        allow_remote=args.allow_remote,
        new=new,
    )


def _auth(args: argparse.Namespace) -> int:
    """``auth`` (= ``auth login``), ``auth status``, ``auth logout``."""
    from beeper_tui.auth import commands
    from beeper_tui.discovery import discover

    if args.demo:
        raise ConfigError("auth signs in to a real Beeper Desktop; --demo needs no sign-in.")
    action = args.auth_command or "login"
    config = ConfigFile.load()
    if action == "login":
        config.check_writable()  # before a sign-in that could not be kept
    settings = _auth_settings(args, config, action)

    async def run() -> int:
        found = await discover(settings)
        if action == "status":
            return await commands.run_status(found, out=sys.stdout)
        if action == "logout":
            return await commands.run_logout(found, config, out=sys.stdout, err=sys.stderr)
        if args.with_token:
            return await commands.run_with_token(
                found, config, stdin=sys.stdin, out=sys.stdout, err=sys.stderr
            )
        return await commands.run_login(
            found,
            config,
            open_browser=not args.no_browser,
            timeout=args.timeout,
            out=sys.stdout,
            err=sys.stderr,
            stdin=sys.stdin,
        )

    return asyncio.run(run())
