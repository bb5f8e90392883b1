"""What each ``beeper-tui`` command runs, once its command line is parsed.

:func:`run_command` hands the parsed arguments to the command's runner. Each runner imports
only what its command needs, when it runs: ``status``, ``watch``, ``sim`` and ``auth`` never
load textual, and only the account manager and ``login`` open the full screen. The exit codes
are the scripts' contract (README): 0 fine, 1 needs attention (``status``) or cancelled
(``login``), 2 an error.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING

from beeper_tui.cli.connections import connection, named_connections, notify_wanted
from beeper_tui.config import ConfigError, ConfigFile, Settings
from beeper_tui.gc_pause import resume_collection

if TYPE_CHECKING:
    from beeper_tui.tui.app import BeeperApp

#: Exit codes, for scripts: 0 fine, 1 needs attention (status) or cancelled (login), 2 error,
#: 130 interrupted (Ctrl-C on a headless command).
EXIT_ERROR, EXIT_INTERRUPTED = 2, 130


def run_command(args: argparse.Namespace) -> int:
    """Run the command ``args`` name (none: the account manager); its exit code."""
    command = args.command
    if command not in (None, "login"):
        resume_collection()  # headless: only the TUI waits for its first frame
    if command == "status":
        return _status(args)
    if command == "watch":
        return _watch(args)
    if command == "sim":
        from beeper_tui.sim.serve import run

        return run(args)
    if command == "auth":
        return _auth(args)
    if command == "login":
        return _login(args)
    return _account_manager(args)


def _status(args: argparse.Namespace) -> int:
    """``status``: every account's health, printed once (exit 1 when any needs attention)."""
    from beeper_tui.status_targets import run_status_targets

    return asyncio.run(
        run_status_targets(
            named_connections(args), as_json=args.json, out=sys.stdout, err=sys.stderr
        )
    )


def _watch(args: argparse.Namespace) -> int:
    """``watch``: every account's status, then a line per change, until Ctrl-C."""
    from beeper_tui.alerts.account_alerts import desktop_alerts
    from beeper_tui.alerts.exec_hook import ExecHook
    from beeper_tui.watch_targets import run_watch_targets

    return asyncio.run(
        run_watch_targets(
            named_connections(args),
            as_json=args.json,
            interval=args.interval,
            out=sys.stdout,
            alerts=desktop_alerts(sys.stderr) if notify_wanted(args) else None,
            exec_hook=ExecHook(args.exec) if args.exec else None,
        )
    )


def _account_manager(args: argparse.Namespace) -> int:
    """Plain ``beeper-tui``: the account manager, over every Beeper Desktop configured."""
    from beeper_tui.tui.app import BeeperApp

    first, *more = named_connections(args)
    app = BeeperApp(
        first.connection,
        refresh=args.refresh,
        bell=args.bell,
        notify=notify_wanted(args),
        target_name=first.name,
        more_targets=more,
    )
    return _exit_code(app, app.run())


def _exit_code(app: BeeperApp, result: int | None) -> int:
    """How the full screen ended, as an exit code; a line on stderr for the login sessions
    it could not cancel."""
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
        bridge = asyncio.run(find_bridge(connection(args), args.bridge))
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
        connection(args),
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
