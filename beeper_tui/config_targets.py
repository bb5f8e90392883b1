"""Several Beeper Desktops: the config file's ``[targets.NAME]`` tables, one
:class:`~beeper_tui.config.Settings` each.

```toml
[targets.home]
base_url = "http://127.0.0.1:23373"

[targets.home.auth]                  # the same keys as [auth]; `auth login --target home`
token = "…"

[targets.work]
base_url = "http://127.0.0.1:23380"
```

Which Beeper Desktops a command covers (:func:`resolve_targets`):

- no ``[targets.NAME]`` table: one, unnamed, resolved exactly as before (flags, environment,
  config file, discovery);
- ``[targets.NAME]`` tables: each of them, and before them the top-level settings as the target
  ``default`` when anything names them (a top-level ``base_url`` or ``[auth]``, or
  ``BEEPER_BASE_URL`` / ``BEEPER_ACCESS_TOKEN``);
- ``--target NAME``: that one alone (``default`` is the top-level one); an unknown name is a
  :class:`ConfigError` listing the valid ones (exit 2);
- ``--base-url`` or ``--token-file`` without ``--target``: the one they name, as before.

A named target takes its address and token from its own table (or ``--base-url`` /
``--token-file`` when ``--target`` names it), never from the environment: the environment's
token belongs to the top-level settings, and is never sent to another Beeper Desktop. Its
values pass the same checks (``setting_checks.py``) with the same messages, naming the file
and line. No textual import.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from beeper_tui.config import (
    ConfigError,
    ConfigFile,
    Origin,
    Settings,
    read_token_file,
    resolve,
    same_server,
)
from beeper_tui.config_file import DEFAULT_TARGET
from beeper_tui.setting_checks import check_base_url, check_token

__all__ = ["DEFAULT_TARGET", "UnknownTarget", "resolve_target", "resolve_targets", "target_label"]


class UnknownTarget(ConfigError):
    """``--target NAME`` names no target; the message lists the ones there are."""


def target_label(settings: Settings) -> str:
    """A target's name as shown in a column or a heading: ``default`` for the top-level one."""
    return settings.target or DEFAULT_TARGET


def target_names(config: ConfigFile) -> list[str]:
    """Every name ``--target`` accepts, ``default`` first."""
    return [DEFAULT_TARGET, *config.targets]


def _top_level_named(config: ConfigFile, env: Mapping[str, str]) -> bool:
    """Whether anything names the top-level settings (then they are the target ``default``)."""
    return (
        config.base_url is not None
        or config.saved_token is not None
        or bool(env.get("BEEPER_BASE_URL") or env.get("BEEPER_ACCESS_TOKEN"))
    )


def resolve_targets(
    config: ConfigFile,
    *,
    target: str | None = None,
    base_url: str | None = None,
    token_file: str | None = None,
    allow_remote: bool = False,
    env: Mapping[str, str] | None = None,
) -> list[Settings]:
    """The settings of every Beeper Desktop a command covers (see the module docstring), in
    the file's order. Raises :class:`ConfigError` (:class:`UnknownTarget` for a bad name)."""
    env = os.environ if env is None else env
    options = {"base_url": base_url, "token_file": token_file, "allow_remote": allow_remote}
    if target is not None:
        return [resolve_target(config, target, env=env, **options)]  # type: ignore[arg-type]
    if not config.targets or base_url is not None or token_file is not None:
        return [resolve(env=env, config=config, **options)]  # type: ignore[arg-type]
    found = [
        resolve_target(config, name, env=env, allow_remote=allow_remote) for name in config.targets
    ]
    if _top_level_named(config, env):
        found.insert(0, resolve_target(config, DEFAULT_TARGET, env=env, allow_remote=allow_remote))
    return found


def resolve_target(
    config: ConfigFile,
    name: str,
    *,
    base_url: str | None = None,
    token_file: str | None = None,
    allow_remote: bool = False,
    env: Mapping[str, str] | None = None,
    new: bool = False,
) -> Settings:
    """One target's settings. ``default`` is the top-level one (resolved as always, but
    named when there are other targets). ``new``: a name not in the file yet is a target
    about to be made (``auth login --target NAME --base-url URL``)."""
    env = os.environ if env is None else env
    if name == DEFAULT_TARGET:
        return resolve(
            base_url, env, token_file=token_file, allow_remote=allow_remote, config=config
        )
    if name not in config.targets and not new:
        raise _unknown(config, name)
    path = config.path
    table_where = f"[targets.{name}]"
    if base_url is not None:
        url = check_base_url(base_url, "--base-url", allow_remote=allow_remote)
        url_origin, url_where = Origin.FLAG, "--base-url"
    elif (configured := config.target_base_url(name)) is not None:
        where = config.line_of(("targets", name, "base_url"))
        url = check_base_url(configured, where, allow_remote=allow_remote)
        url_origin, url_where = Origin.CONFIG, f"{path} {table_where}"
    else:
        raise ConfigError(
            f"{config.line_of(('targets', name))}: {table_where} has no base_url; add "
            'base_url = "http://127.0.0.1:23373" (its Beeper Desktop\'s address) to it.'
        )
    token, token_origin, token_where, used = None, Origin.NONE, "no token given", None
    saved = config.saved_token_for(name)
    if token_file is not None:
        token, token_origin = read_token_file(token_file), Origin.FLAG
        token_where = f"--token-file {token_file}"
    elif saved is not None:
        if saved.server is None or same_server(saved.server, url):
            token = check_token(saved.token, f"{path} ([targets.{name}.auth] token)")
            token_origin, token_where, used = Origin.CONFIG, f"{path} {table_where}", saved
        else:
            token_where = f"no token for {url} (the saved one is for {saved.server})"
    return Settings(
        base_url=url,
        token=token,
        base_url_origin=url_origin,
        base_url_where=url_where,
        token_origin=token_origin,
        token_where=token_where,
        saved=used,
        allow_remote=allow_remote,
        config_path=path,
        target=name,
    )


def _unknown(config: ConfigFile, name: str) -> UnknownTarget:
    from beeper_tui.text import one_line

    names = ", ".join(target_names(config))
    return UnknownTarget(
        f"--target {one_line(name, 40)}: no such target in {config.path}; the targets are: {names}."
    )
