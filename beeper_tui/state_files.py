"""The user state directory and its private files: where beeper-tui keeps what it learns
between runs (the login journal, the remembered login flows) — never in the config.

The directory is ``$XDG_STATE_HOME/beeper-tui`` (else ``~/.local/state/beeper-tui``), created
mode 0700. Each file in it is written atomically and mode 0600 (a temporary file in the same
directory, flushed and synced, then renamed over the old one), under a lock file that
serialises two beeper-tuis changing it at once. Headless.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: no lock between processes
    fcntl = None  # type: ignore[assignment]

APP_DIR = "beeper-tui"


def state_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_STATE_HOME/beeper-tui``, else ``~/.local/state/beeper-tui``."""
    env = os.environ if env is None else env
    base = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / APP_DIR


def ensure_private_dir(directory: Path) -> None:
    """Create ``directory`` mode 0700 (its parents as usual) unless it exists."""
    if not directory.is_dir():
        directory.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(directory, 0o700)


@contextlib.contextmanager
def locked(directory: Path, lock_name: str) -> Iterator[None]:
    """Hold the lock file ``lock_name`` in ``directory`` (made private first) while inside."""
    ensure_private_dir(directory)
    fd = os.open(directory / lock_name, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def write_private_json(path: Path, data: Any) -> None:
    """Replace ``path`` with ``data`` as JSON, atomically: a 0600 temporary file (mkstemp's
    mode) beside it, flushed and synced, then renamed over it."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
