"""Where Beeper Desktop is and how to authenticate, and where each of those came from.

Order, first found wins: flags (``--base-url``, ``--token-file PATH``), then the environment
(the official SDKs' ``BEEPER_BASE_URL``, ``BEEPER_ACCESS_TOKEN``, ``BEEPER_CUSTOM_HEADERS`` —
one ``Name: value`` per line), then the config file (``config_file.py``), then — for the
address only — discovery (``discovery.py``): when nothing named an address, the default
``http://127.0.0.1:23373`` is asked first and ports 23374–23392 next. An address someone gave
is never replaced by a probed one.

Every value is checked (``setting_checks.py``): a malformed address, a bad header line or a
token that cannot travel in a header is a :class:`ConfigError` with one line naming where it
came from; plain http to another computer is refused unless ``allow_remote``. A saved token is
sent only to the server that issued it (``[auth] server``) or, when none is recorded, to
whichever Beeper Desktop this resolves to. No textual import.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from beeper_tui.api.client import DEFAULT_BASE_URL
from beeper_tui.config_file import ConfigFile, SavedToken, config_path
from beeper_tui.setting_checks import (
    ConfigError,
    check_base_url,
    check_token,
    parse_custom_headers,
)

__all__ = [
    "ConfigError",
    "ConfigFile",
    "Origin",
    "SavedToken",
    "Settings",
    "config_path",
    "parse_custom_headers",
    "resolve",
    "save_token",
]


class Origin(StrEnum):
    """Where a setting came from, as ``auth status`` says it."""

    FLAG = "flag"
    ENV = "env"
    CONFIG = "config"
    PROBED = "probed"
    DEFAULT = "default"
    NONE = "none"


@dataclass(frozen=True)
class Settings:
    """Resolved connection settings. The token never shows in ``repr``."""

    base_url: str = DEFAULT_BASE_URL
    token: str | None = field(default=None, repr=False)
    custom_headers: dict[str, str] = field(default_factory=dict, repr=False)
    base_url_origin: Origin = Origin.DEFAULT
    #: In words: "--base-url", "BEEPER_BASE_URL", "/…/config.toml", "port 23375 answered"…
    base_url_where: str = "the default address"
    token_origin: Origin = Origin.NONE
    token_where: str = "no token given"
    #: The config file's ``[auth]`` record, when the token is the saved one.
    saved: SavedToken | None = field(default=None, repr=False)
    allow_remote: bool = False
    config_path: Path | None = None
    #: Ports discovery asked without an answer (for "which ports were tried").
    tried_ports: tuple[int, ...] = ()
    #: The ``[targets.NAME]`` these settings are for; None: the top-level settings.
    target: str | None = None

    @property
    def token_source(self) -> str:
        """Where the token came from, in words (kept for callers of beeper-tui 0.1)."""
        return self.token_where

    @property
    def needs_discovery(self) -> bool:
        """Nothing named an address: discovery may look for Beeper Desktop."""
        return self.base_url_origin is Origin.DEFAULT

    def found_at(self, base_url: str, port: int) -> Settings:
        """These settings with the address discovery found."""
        return replace(
            self,
            base_url=base_url,
            base_url_origin=Origin.PROBED,
            base_url_where=f"found by probing: port {port} answered",
        )


def read_token_file(path: str) -> str:
    """The token in the file ``--token-file`` names; raises :class:`ConfigError`."""
    where = f"--token-file {path}"
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(64 * 1024)
    except FileNotFoundError:
        raise ConfigError(f"{where}: no such file.") from None
    except IsADirectoryError:
        raise ConfigError(f"{where}: that is a folder, not a file.") from None
    except PermissionError:
        raise ConfigError(f"{where}: permission denied.") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: the file is not text.") from None
    except OSError as exc:
        raise ConfigError(f"{where}: {exc.strerror or type(exc).__name__}.") from None
    return check_token(text, where)


def _address(
    flag: str | None, env: Mapping[str, str], config: ConfigFile, allow_remote: bool
) -> tuple[str, Origin, str]:
    if flag is not None:
        return (
            check_base_url(flag, "--base-url", allow_remote=allow_remote),
            Origin.FLAG,
            ("--base-url"),
        )
    if env.get("BEEPER_BASE_URL"):
        where = "BEEPER_BASE_URL"
        return check_base_url(env[where], where, allow_remote=allow_remote), Origin.ENV, where
    if config.base_url is not None:
        where = config.base_url_line()
        url = check_base_url(config.base_url, where, allow_remote=allow_remote)
        return url, Origin.CONFIG, str(config.path)
    return DEFAULT_BASE_URL, Origin.DEFAULT, "the default address"


def same_server(a: str, b: str) -> bool:
    """Whether two addresses name the same server (a saved token is sent only there)."""
    return a.rstrip("/").lower() == b.rstrip("/").lower()


def resolve(
    base_url: str | None = None,
    env: Mapping[str, str] | None = None,
    path: Path | None = None,
    *,
    token_file: str | None = None,
    allow_remote: bool = False,
    config: ConfigFile | None = None,
) -> Settings:
    """Flags first, then the environment, then the config file, then the default address
    (which :func:`beeper_tui.discovery.discover` may replace by a probed one)."""
    env = os.environ if env is None else env
    if config is None:
        config = ConfigFile.load(path) if path is not None else ConfigFile.load()
    url, url_origin, url_where = _address(base_url, env, config, allow_remote)
    headers = parse_custom_headers(env.get("BEEPER_CUSTOM_HEADERS", ""))
    saved = config.saved_token
    token: str | None = None
    token_origin, token_where = Origin.NONE, "no token given"
    used_saved: SavedToken | None = None
    if token_file is not None:
        token, token_origin, token_where = (
            read_token_file(token_file),
            Origin.FLAG,
            (f"--token-file {token_file}"),
        )
    elif env.get("BEEPER_ACCESS_TOKEN"):
        where = "BEEPER_ACCESS_TOKEN"
        token, token_origin, token_where = check_token(env[where], where), Origin.ENV, where
    elif saved is not None:
        own_server = saved.server is None or url_origin is Origin.DEFAULT
        if own_server or same_server(saved.server or "", url):
            token = check_token(saved.token, f"{config.path} ([auth] token)")
            token_origin, token_where, used_saved = Origin.CONFIG, str(config.path), saved
        else:
            token_where = f"no token for {url} (the saved one is for {saved.server})"
    return Settings(
        base_url=url,
        token=token,
        custom_headers=headers,
        base_url_origin=url_origin,
        base_url_where=url_where,
        token_origin=token_origin,
        token_where=token_where,
        saved=used_saved,
        allow_remote=allow_remote,
        config_path=config.path,
    )


def save_token(
    token: str,
    base_url: str | None = None,
    path: Path | None = None,
    *,
    kind: str = "pasted",
    server: str | None = None,
    client_id: str | None = None,
    expires_at: datetime | None = None,
) -> Path:
    """Save a token (and, when given, the base URL to use) in the config file, mode 0600.
    Raises :class:`ConfigError` — also when the existing file is broken: it is never
    written over."""
    config = ConfigFile.load(path) if path is not None else ConfigFile.load()
    config.set_token(
        SavedToken(
            token=check_token(token, "the token"),
            kind=kind,
            server=server or base_url,
            client_id=client_id,
            expires_at=expires_at,
        )
    )
    if base_url:
        config.base_url = base_url
    return config.save()
