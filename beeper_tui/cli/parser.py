"""What ``beeper-tui`` accepts on its command line: the commands, their options, and which
options a command takes before or after its name.

The connection options (``--demo``, ``--base-url``, ``--token-file``, ``--target``,
``--allow-remote``, ``--log``) stand before the command or after it: on a subcommand each
default is SUPPRESS, so a flag given before the command is not overwritten by the
subcommand's default. Only argparse here: parsing loads nothing a command does not need.
"""

from __future__ import annotations

import argparse

from beeper_tui import __version__


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
    """``beeper-tui [options] [COMMAND [options]]``: the account manager's options, then
    ``status``, ``login``, ``watch``, ``sim`` and ``auth``."""
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
