"""``watch --exec CMD``: run a command once per change, the change as JSON on its stdin.

For ntfy, mail, a chat bot: ``beeper-tui watch --exec 'ntfy publish mytopic'``. The command
runs through the shell, one run at a time, in the order the changes came; the watch never
waits for it. A run that fails (exit status, or the command not found) or takes longer than
the timeout (it is killed, with whatever it started) is reported on stderr — its last line of
stderr cleaned by :mod:`beeper_tui.text` — and the watch goes on. Runs never pile up: when
``max_waiting`` changes are already waiting, a new one is dropped and that is reported too.
Its stdout is discarded, so ``watch``'s own output stays one record per line.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from typing import Any, TextIO

from beeper_tui.text import json_dumps, one_line

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_WAITING = 16
#: Bytes of a failing command's stderr kept to report its last line.
STDERR_KEPT = 4096


class ExecHook:
    """Runs ``command`` per change (see the module); ``submit`` never blocks."""

    def __init__(
        self,
        command: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_waiting: int = DEFAULT_MAX_WAITING,
        err: TextIO = sys.stderr,
    ) -> None:
        self.command = command
        self.timeout = timeout
        self._err = err
        self._waiting: asyncio.Queue[dict[str, Any]] = asyncio.Queue(max_waiting)
        self._runner: asyncio.Task[None] | None = None
        self.runs = 0
        """Runs started so far."""
        self.failures = 0
        """Runs that failed or timed out."""
        self.dropped = 0
        """Changes dropped because too many were already waiting."""

    def submit(self, change: dict[str, Any]) -> None:
        """Queue a run for ``change``; drop it (reported) when too many already wait."""
        try:
            self._waiting.put_nowait(change)
        except asyncio.QueueFull:
            self.dropped += 1
            self._report(
                f"dropped a change for {one_line(change.get('accountID'), 80)}: "
                f"{self._waiting.maxsize} changes are already waiting for the command"
            )
            return
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run_waiting())

    async def drain(self, timeout: float | None = None) -> None:
        """Wait until every queued change has run (or ``timeout`` passed), e.g. at exit."""
        if self._runner is None:
            return
        with contextlib.suppress(TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(asyncio.shield(self._runner), timeout)

    async def aclose(self) -> None:
        """Stop running: what waits is dropped, a run under way is killed."""
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner

    async def _run_waiting(self) -> None:
        while not self._waiting.empty():
            change = self._waiting.get_nowait()
            await self.run_once(change)

    async def run_once(self, change: dict[str, Any]) -> bool:
        """Run the command for one change; whether it succeeded. Never raises (but for
        cancellation, which kills the run)."""
        self.runs += 1
        payload = (json_dumps(change) + "\n").encode()
        try:
            process = await asyncio.create_subprocess_shell(
                self.command,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
                start_new_session=True,  # its own process group: a timeout kills it all
            )
        except OSError as exc:
            return self._failed(f"could not start ({one_line(exc.strerror or exc, 80)})")
        try:
            async with asyncio.timeout(self.timeout):
                _, stderr = await process.communicate(payload)
        except TimeoutError:
            self._kill(process)
            await process.wait()
            return self._failed(f"took longer than {self.timeout:g} s and was stopped")
        except asyncio.CancelledError:
            self._kill(process)
            # Reaped before going: a process never waited for keeps its pipes open until the
            # collector finds it, by then on a closed event loop.
            with contextlib.suppress(asyncio.CancelledError):
                await process.wait()
            raise
        except (OSError, BrokenPipeError) as exc:
            self._kill(process)
            await process.wait()
            return self._failed(f"failed ({one_line(exc, 80)})")
        if process.returncode != 0:
            last = (stderr or b"")[-STDERR_KEPT:].decode("utf-8", "replace").strip()
            said = f": {one_line(last.splitlines()[-1], 120)}" if last else ""
            return self._failed(f"exited with status {process.returncode}{said}")
        return True

    @staticmethod
    def _kill(process: asyncio.subprocess.Process) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)

    def _failed(self, what: str) -> bool:
        self.failures += 1
        self._report(f"the --exec command {what}")
        return False

    def _report(self, message: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._err.write(f"beeper-tui watch: {message}\n")
            self._err.flush()
