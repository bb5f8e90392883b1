"""The TOML config file: where it lives, what it may hold, how it is read, migrated and saved.

Location: the platform's user config dir — ``$XDG_CONFIG_HOME/beeper-tui/config.toml`` (or
``~/.config/…``) on Linux and wherever ``XDG_CONFIG_HOME`` is set, ``~/Library/Application
Support/beeper-tui`` on macOS, ``%APPDATA%\\beeper-tui`` on Windows. Today it holds::

    base_url = "http://127.0.0.1:23373"   # optional: the Beeper Desktop to use
    notify = true                         # optional: as --notify (desktop notifications)

    [auth]                                # the saved token and what is known about it
    token = "…"
    kind = "oauth"                        # "oauth" (from `auth login`) or "pasted"
    server = "http://127.0.0.1:23373"     # who issued it; it is sent only there
    client_id = "…"                       # the OAuth client, for revoking
    expires_at = 2026-12-08T20:00:00Z

Several Beeper Desktops each get a ``[targets.NAME]`` table with a ``base_url`` and an
``[targets.NAME.auth]`` table of the same shape as ``[auth]`` (``config_targets.py`` resolves
them). NAME is letters, digits, ``-`` and ``_``; ``default`` is the top-level settings' name.
Later settings add their keys to :data:`SCHEMA`; keys the schema does not know are kept as
they are when saving.

Reading: :mod:`tomllib`; a file that is not TOML, not UTF-8, unreadable or with a value of the
wrong type raises :class:`ConfigError` naming the file, the line and what is wrong, and such a
file is never written over. The old ``config.json`` (beeper-tui 0.1) is read once, written
as TOML and removed. Writing: a temp file created ``0600`` with ``os.open`` in a ``0700``
directory, then ``os.replace``: the token is never readable by others, not even for a moment,
and a crash mid-write leaves the old file whole.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from beeper_tui.setting_checks import ConfigError
from beeper_tui.toml_writer import dumps

FILE_NAME = "config.toml"
LEGACY_NAME = "config.json"
HEADER = "beeper-tui settings (https://github.com/beeper-tui). Holds a token: keep it private."
TOKEN_KINDS = ("oauth", "pasted")

#: Known keys and the type each must have. A ``*`` part matches any table name.
SCHEMA: dict[tuple[str, ...], type | tuple[type, ...]] = {
    ("base_url",): str,
    ("auth",): dict,
    ("auth", "token"): str,
    ("auth", "kind"): str,
    ("auth", "server"): str,
    ("auth", "client_id"): str,
    ("auth", "expires_at"): datetime,
    ("notify",): bool,  # desktop notifications as accounts break and come back (--notify)
    ("targets",): dict,  # several Beeper Desktops: [targets.NAME]
    ("targets", "*"): dict,
    ("targets", "*", "base_url"): str,
    ("targets", "*", "auth"): dict,
    ("targets", "*", "auth", "token"): str,
    ("targets", "*", "auth", "kind"): str,
    ("targets", "*", "auth", "server"): str,
    ("targets", "*", "auth", "client_id"): str,
    ("targets", "*", "auth", "expires_at"): datetime,
}
#: The name the top-level settings go by beside ``[targets.NAME]`` tables.
DEFAULT_TARGET = "default"
#: What a target's name may be: a TOML bare key, so it is typed as it is written.
TARGET_NAME = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_TYPE_WORDS = {str: "a string", dict: "a table", datetime: "a date-time", bool: "true or false"}


@dataclass(frozen=True)
class SavedToken:
    """The ``[auth]`` table. The token never shows in ``repr``."""

    token: str = field(repr=False)
    kind: str = "pasted"
    server: str | None = None
    client_id: str | None = None
    expires_at: datetime | None = None


def config_dir(env: Mapping[str, str] | None = None, platform: str = sys.platform) -> Path:
    """The folder beeper-tui keeps its config file in."""
    env = os.environ if env is None else env
    home = Path(env.get("HOME") or Path.home())
    if env.get("XDG_CONFIG_HOME"):
        base = Path(env["XDG_CONFIG_HOME"])
    elif platform == "darwin":
        base = home / "Library" / "Application Support"
    elif platform == "win32":
        base = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
    else:
        base = home / ".config"
    return base / "beeper-tui"


def config_path(env: Mapping[str, str] | None = None) -> Path:
    return config_dir(env) / FILE_NAME


def legacy_path(env: Mapping[str, str] | None = None) -> Path:
    """Where beeper-tui 0.1 kept its JSON file (``$XDG_CONFIG_HOME`` or ``~/.config``)."""
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(base) / "beeper-tui" / LEGACY_NAME


def _line_of(text: str, keys: tuple[str, ...]) -> int | None:
    """The line a key is set on (for messages: tomllib does not say)."""
    table: tuple[str, ...] = ()
    *parents, last = keys
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.match(r"^\[+\s*([^\]]+?)\s*\]+", line)
        if header:
            table = tuple(part.strip().strip("\"'") for part in header.group(1).split("."))
            if table == keys:
                return number
            continue
        key = re.match(r"^([A-Za-z0-9_.\"' -]+?)\s*=", line)
        if key:
            path = table + tuple(part.strip().strip("\"'") for part in key.group(1).split("."))
            if path == keys or (table == tuple(parents) and path[-1:] == (last,)):
                return number
    return None


def _spec_for(keys: tuple[str, ...]) -> type | tuple[type, ...] | None:
    for pattern, spec in SCHEMA.items():
        if len(pattern) != len(keys):
            continue
        if all(part in ("*", key) for part, key in zip(pattern, keys, strict=True)):
            return spec
    return None


def _check_types(path: Path, text: str, table: Mapping[str, Any], prefix: tuple[str, ...]) -> None:
    for key, value in table.items():
        keys = (*prefix, key)
        spec = _spec_for(keys)
        if spec is not None and not isinstance(value, spec):
            wanted = spec if isinstance(spec, type) else spec[0]
            line = _line_of(text, keys)
            where = f"{path}, line {line}" if line else str(path)
            raise ConfigError(
                f"{where}: {'.'.join(keys)} should be {_TYPE_WORDS.get(wanted, wanted.__name__)}, "
                f"not {_TYPE_WORDS.get(type(value), type(value).__name__)}."
            )
        if isinstance(value, dict):
            _check_types(path, text, value, keys)
    is_auth = prefix == ("auth",) or (len(prefix) == 3 and prefix[::2] == ("targets", "auth"))
    kind = table.get("kind") if is_auth else None
    if kind is not None and kind not in TOKEN_KINDS:
        line = _line_of(text, (*prefix, "kind"))
        raise ConfigError(
            f"{path}, line {line}: {'.'.join(prefix)}.kind should be one of "
            f"{', '.join(TOKEN_KINDS)}."
        )
    if prefix == ("targets",):
        for name in table:
            _check_target_name(path, text, name)


def _check_target_name(path: Path, text: str, name: str) -> None:
    """A target's name is typed after ``--target`` and shown in a column: a bare key only."""
    line = _line_of(text, ("targets", name))
    where = f"{path}, line {line}" if line else str(path)
    if name == DEFAULT_TARGET:
        raise ConfigError(
            f"{where}: [targets.{DEFAULT_TARGET}] is taken by the top-level settings; "
            "give that table another name."
        )
    if not TARGET_NAME.match(name):
        raise ConfigError(
            f"{where}: a target's name may hold only letters, digits, - and _ (at most 40 of them)."
        )


def _decode_error(path: Path, exc: tomllib.TOMLDecodeError) -> ConfigError:
    message = str(exc)
    found = re.search(r"\(at line (\d+), column (\d+)\)", message)
    reason = re.sub(r"\s*\(at .*?\)", "", message).rstrip(".") or "not valid TOML"
    reason = reason[:1].lower() + reason[1:]
    where = f"{path}, line {found.group(1)}" if found else str(path)
    column = f" (column {found.group(2)})" if found else ""
    return ConfigError(
        f"{where}: {reason}{column}. Fix the file or delete it; beeper-tui will not write over it."
    )


def _read_text(path: Path) -> str | None:
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except IsADirectoryError:
        raise ConfigError(f"{path} is a folder, not a config file.") from None
    except PermissionError:
        raise ConfigError(f"Can't read {path}: permission denied.") from None
    except OSError as exc:
        raise ConfigError(f"Can't read {path}: {exc.strerror or type(exc).__name__}.") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}, line {line}: the file is not UTF-8 text.") from None


def _legacy_document(path: Path) -> dict[str, Any] | None:
    """The old JSON file's token and base URL as a TOML document; None when there is none."""
    text = _read_text(path)
    if text is None:
        return None
    try:
        raw = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        where = f"{path}, line {line}" if line else str(path)
        raise ConfigError(f"{where}: not valid JSON; fix it or delete it.") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: should hold a JSON object; fix it or delete it.")
    document: dict[str, Any] = {}
    if isinstance(raw.get("base_url"), str):
        document["base_url"] = raw["base_url"]
    if isinstance(raw.get("token"), str) and raw["token"]:
        document["auth"] = {"token": raw["token"], "kind": "pasted"}
        if "base_url" in document:
            document["auth"]["server"] = document["base_url"]
    return document


class ConfigFile:
    """One config file's document; :meth:`load` it, change it, :meth:`save` it."""

    def __init__(self, path: Path, document: dict[str, Any] | None = None) -> None:
        self.path = path
        self.document: dict[str, Any] = document or {}
        #: The old JSON file this was migrated from in this run, if any.
        self.migrated_from: Path | None = None

    @classmethod
    def load(cls, path: Path | None = None, *, legacy: Path | None = None) -> ConfigFile:
        """Read ``path`` (default: :func:`config_path`); a missing file is an empty document.
        When it is missing and ``legacy`` (default: the 0.1 JSON file next to it) exists,
        migrate that. Raises :class:`ConfigError`."""
        if path is None:
            path, legacy = config_path(), legacy or legacy_path()
        legacy = legacy or path.with_name(LEGACY_NAME)
        text = _read_text(path)
        if text is None:
            return cls._migrated(path, legacy)
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise _decode_error(path, exc) from None
        _check_types(path, text, document, ())
        return cls(path, document)

    @classmethod
    def _migrated(cls, path: Path, legacy: Path) -> ConfigFile:
        document = _legacy_document(legacy)
        config = cls(path, document)
        if document is None:
            return config
        try:
            config.save()
        except ConfigError:
            return config  # still usable from memory; the JSON file stays for next time
        config.migrated_from = legacy
        with contextlib.suppress(OSError):
            legacy.unlink()
        return config

    # --- What it holds --------------------------------------------------------------------

    @property
    def base_url(self) -> str | None:
        value = self.document.get("base_url")
        return value if isinstance(value, str) else None

    @base_url.setter
    def base_url(self, value: str | None) -> None:
        if value is None:
            self.document.pop("base_url", None)
        else:
            self.document["base_url"] = value

    def base_url_line(self) -> str:
        """Where ``base_url`` is set, for messages."""
        return self.line_of(("base_url",))

    def line_of(self, keys: tuple[str, ...]) -> str:
        """Where a key (or table) is set, for messages: ``/…/config.toml, line 7``."""
        text = _read_text(self.path) if self.path.exists() else None
        line = _line_of(text, keys) if text else None
        return f"{self.path}, line {line}" if line else str(self.path)

    @property
    def saved_token(self) -> SavedToken | None:
        """The top-level ``[auth]`` token."""
        return self.saved_token_for(None)

    def saved_token_for(self, target: str | None) -> SavedToken | None:
        """``[targets.NAME.auth]``, or the top-level ``[auth]`` for ``None``."""
        auth = self._table(target).get("auth")
        if not isinstance(auth, dict) or not isinstance(auth.get("token"), str):
            return None
        expires = auth.get("expires_at")
        if isinstance(expires, datetime) and expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        return SavedToken(
            token=auth["token"],
            kind=auth.get("kind", "pasted"),
            server=auth.get("server"),
            client_id=auth.get("client_id"),
            expires_at=expires if isinstance(expires, datetime) else None,
        )

    def set_token(self, saved: SavedToken, target: str | None = None) -> None:
        """Save ``saved`` as the top-level ``[auth]``, or as ``[targets.NAME.auth]``."""
        auth: dict[str, Any] = {"token": saved.token, "kind": saved.kind}
        if saved.server:
            auth["server"] = saved.server
        if saved.client_id:
            auth["client_id"] = saved.client_id
        if saved.expires_at:
            auth["expires_at"] = saved.expires_at.astimezone(UTC).replace(microsecond=0)
        self._table(target, create=True)["auth"] = auth

    def clear_token(self, target: str | None = None) -> None:
        self._table(target).pop("auth", None)

    # --- Several Beeper Desktops ----------------------------------------------------------

    @property
    def targets(self) -> dict[str, dict[str, Any]]:
        """The ``[targets.NAME]`` tables by name, in the file's order."""
        targets = self.document.get("targets")
        if not isinstance(targets, dict):
            return {}
        return {name: table for name, table in targets.items() if isinstance(table, dict)}

    def target_base_url(self, target: str) -> str | None:
        value = self.targets.get(target, {}).get("base_url")
        return value if isinstance(value, str) else None

    def set_target_base_url(self, target: str, base_url: str) -> None:
        """Set (or create) ``[targets.NAME] base_url``."""
        self._table(target, create=True)["base_url"] = base_url

    def _table(self, target: str | None, *, create: bool = False) -> dict[str, Any]:
        """The top-level document for ``None``, else ``[targets.NAME]`` (made on ``create``;
        an empty table, not kept, otherwise)."""
        if target is None:
            return self.document
        if not create:
            return self.targets.get(target, {})
        targets = self.document.setdefault("targets", {})
        return targets.setdefault(target, {})  # type: ignore[no-any-return]

    # --- Writing --------------------------------------------------------------------------

    def check_writable(self) -> None:
        """Raise :class:`ConfigError` now when :meth:`save` could not work (before a sign-in
        the person would otherwise do for nothing): make the folder and a file in it."""
        folder = self.path.parent
        probe = folder / f".{self.path.name}.{secrets.token_hex(4)}.probe"
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            probe.unlink()
        except OSError as exc:
            raise _save_error(folder, exc) from None

    def save(self) -> Path:
        """Write the document atomically, mode 0600 in a 0700 folder."""
        folder = self.path.parent
        text = dumps(self.document, HEADER)
        temp = folder / f".{self.path.name}.{secrets.token_hex(4)}.tmp"
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_TRUNC, 0o600)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    temp.unlink()
                raise
        except OSError as exc:
            raise _save_error(folder, exc) from None
        return self.path


def _save_error(folder: Path, exc: OSError) -> ConfigError:
    if isinstance(exc, PermissionError):
        reason = "permission denied"
    elif isinstance(exc, FileExistsError | NotADirectoryError):
        reason = "something that is not a folder is in the way"
    else:
        reason = (exc.strerror or type(exc).__name__).lower()
    return ConfigError(f"Can't save the config file in {folder}: {reason}.")
