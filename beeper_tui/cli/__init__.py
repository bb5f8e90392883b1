"""The ``beeper-tui`` command: the account manager, and its headless subcommands.

:func:`main` parses the command line (``parser.py``), runs the command (``commands.py``; each
imports only what it needs, so ``status`` and ``watch`` never load textual) on the Beeper
Desktops its options name (``connections.py``), and turns every way it can fail into one line
on stderr and an exit code. The console script enters through ``beeper_tui.startup``.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence

# httpx imports its own command-line client (click, rich, pygments) when it can, and falls back
# to a stub when that import fails. We never use it: skipping it saves ~60 ms on every start of
# a headless command. Set before anything imports httpx.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

from beeper_tui.cli.commands import EXIT_ERROR, EXIT_INTERRUPTED, run_command  # noqa: E402
from beeper_tui.cli.parser import build_parser  # noqa: E402
from beeper_tui.config import ConfigError  # noqa: E402

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; every way it can fail ends in one line on stderr and an exit
    code, never a traceback, and an unexpected failure never exits 1 (``status``'s "needs
    attention")."""
    args = build_parser().parse_args(argv)
    try:
        return run_command(args)
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
