"""Which Beeper Desktops a command talks to, from its options: their settings, a connection to
each, the ``--log`` file, and whether desktop notifications are on.

With several Beeper Desktops configured (``[targets.NAME]``, ``config_targets.py``) ``status``,
``watch`` and the account manager cover them all (``--target`` narrows); ``login`` acts on
one and asks which when there are several. Nothing here imports textual.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from beeper_tui.config import ConfigError, ConfigFile, Settings
from beeper_tui.connect import Connection, connect, connect_demo

if TYPE_CHECKING:
    from beeper_tui.connect import NamedConnection
    from beeper_tui.request_log import RequestLog


def targets(args: argparse.Namespace, config: ConfigFile | None = None) -> list[Settings]:
    """The settings of every Beeper Desktop this command covers (``--target`` narrows)."""
    from beeper_tui.config_targets import resolve_targets

    return resolve_targets(
        config if config is not None else ConfigFile.load(),
        target=args.target,
        base_url=args.base_url,
        token_file=args.token_file,
        allow_remote=args.allow_remote,
    )


def one_target(args: argparse.Namespace, config: ConfigFile | None = None) -> Settings:
    """The one Beeper Desktop a command that acts on one uses: ``--target``'s, or the only
    one; with several and no ``--target`` it asks which (a :class:`ConfigError`, exit 2)."""
    found = targets(args, config)
    if len(found) > 1:
        from beeper_tui.config_targets import target_label

        names = ", ".join(target_label(settings) for settings in found)
        raise ConfigError(
            f"{args.command or 'beeper-tui'} acts on one Beeper Desktop and several are "
            f"configured ({names}): say which with --target NAME."
        )
    return found[0]


def connection(args: argparse.Namespace) -> Connection:
    """A connection to the one Beeper Desktop the command acts on (the demo's, ``--demo``)."""
    log = request_log(args)
    if args.demo:
        return connect_demo(log=log)
    from beeper_tui.discovery import discover_now

    return connect(discover_now(one_target(args)), log=log)


def named_connections(args: argparse.Namespace) -> list[NamedConnection]:
    """A connection to every Beeper Desktop the command covers (one in demo mode), with each
    target's name (``default`` for the top level)."""
    from beeper_tui.config_targets import DEFAULT_TARGET, target_label
    from beeper_tui.connect import NamedConnection

    if args.demo:
        return [NamedConnection(DEFAULT_TARGET, connection(args))]
    from beeper_tui.discovery import discover_now

    log = request_log(args)
    return [
        NamedConnection(target_label(settings), connect(discover_now(settings), log=log))
        for settings in targets(args)
    ]


def notify_wanted(args: argparse.Namespace) -> bool:
    """``--notify``, or ``notify = true`` in the config file."""
    return bool(args.notify) or ConfigFile.load().document.get("notify") is True


def request_log(args: argparse.Namespace) -> RequestLog | None:
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
