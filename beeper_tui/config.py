"""Where Beeper Desktop is and how to authenticate: flags, environment, then the config file.

Environment names are the official SDKs': ``BEEPER_BASE_URL``, ``BEEPER_ACCESS_TOKEN`` and
``BEEPER_CUSTOM_HEADERS`` (one ``Name: value`` per line). The config file
(``$XDG_CONFIG_HOME/beeper-tui/config.json``) holds a saved token and is written with mode 0600.
No textual import here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from beeper_tui.api.client import DEFAULT_BASE_URL


class ConfigError(Exception):
    """A configuration problem, with a message a person can act on."""


@dataclass(frozen=True)
class Settings:
    """Resolved connection settings. The token never shows in ``repr``."""

    base_url: str = DEFAULT_BASE_URL
    token: str | None = field(default=None, repr=False)
    custom_headers: dict[str, str] = field(default_factory=dict, repr=False)
    token_source: str = "none"


def config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "beeper-tui" / "config.json"


def parse_custom_headers(text: str) -> dict[str, str]:
    """``BEEPER_CUSTOM_HEADERS``: one ``Name: value`` per line; blank lines are skipped."""
    headers: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise ConfigError(
                f"BEEPER_CUSTOM_HEADERS: expected 'Name: value' lines, got {line.strip()[:40]!r}."
            )
        headers[name.strip()] = value.strip()
    return headers


def load_file(path: Path) -> dict[str, str]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ConfigError(f"Can't read {path}: {type(exc).__name__}.") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path} should hold a JSON object.")
    return {str(k): str(v) for k, v in raw.items() if isinstance(v, str)}


def save_token(token: str, base_url: str | None = None, path: Path | None = None) -> Path:
    """Save the token (and base URL) to the config file, readable by the owner only."""
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = load_file(path)
    data["token"] = token
    if base_url:
        data["base_url"] = base_url
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
    return path


def resolve(
    base_url: str | None = None,
    env: Mapping[str, str] | None = None,
    path: Path | None = None,
) -> Settings:
    """Flags first, then the environment, then the config file, then the default URL."""
    env = os.environ if env is None else env
    saved = load_file(path or config_path(env))
    url = base_url or env.get("BEEPER_BASE_URL") or saved.get("base_url") or DEFAULT_BASE_URL
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"The base URL must start with http:// or https://, got {url[:60]!r}.")
    if env.get("BEEPER_ACCESS_TOKEN"):
        token, source = env["BEEPER_ACCESS_TOKEN"].strip(), "BEEPER_ACCESS_TOKEN"
    elif saved.get("token"):
        token, source = saved["token"], "config file"
    else:
        token, source = None, "none"
    headers = parse_custom_headers(env.get("BEEPER_CUSTOM_HEADERS", ""))
    return Settings(base_url=url, token=token, custom_headers=headers, token_source=source)
