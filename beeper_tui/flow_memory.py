"""Remembered flows: which login flow worked last for each bridge, login and account, and which
flows could not be finished in a terminal.

The login wizard's flow picker reads it to choose what to preselect: the flow the account being
reconnected last used, else the last flow that succeeded on the bridge (choosing another one
and succeeding replaces it), else the server's default — never a flow known to need Beeper
Desktop (one that reached a ``webauthn`` step, say). The reason for a store of its own: these
are observations, not settings, so they live in the user state directory
(``$XDG_STATE_HOME/beeper-tui/login-flows.json``, next to the login journal), not the config.

The file is small JSON, mode 0600 in a 0700 directory, replaced atomically (a temporary file in
the same directory, flushed, renamed over it) under a lock file, so two beeper-tuis never lose
each other's changes. It is a convenience: a file that can't be read (corrupt, not JSON, the
wrong shape) is ignored with a logged warning and replaced on the next change; one that can't be
written is skipped. Neither ever stops a login. ``FlowMemory(None)`` keeps everything in memory
only (the embedded demo, whose bridges are not the person's). Headless.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from beeper_tui.state_files import locked, state_dir, write_private_json

FILE_NAME = "login-flows.json"
LOCK_NAME = "login-flows.lock"
VERSION = 1

log = logging.getLogger(__name__)

Document = dict[str, Any]
"""``{"version": 1, "bridges": {bridgeID: {"lastFlow", "logins", "accounts",
"cannotFinish"}}}`` — flow IDs by bridge; logins and accounts map their ID to a flow ID."""


class FlowMemory:
    """The remembered flows (see the module). Reads go to the file each time (another
    beeper-tui may have changed it); ``directory=None`` keeps them in memory only."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.path = directory / FILE_NAME if directory is not None else None
        self._in_memory: Document = _empty()

    @classmethod
    def in_state_dir(cls, env: Mapping[str, str] | None = None) -> FlowMemory:
        return cls(state_dir(env))

    # --- What the picker asks --------------------------------------------------------------

    def last_flow(self, bridge_id: str) -> str | None:
        """The flow of the last login that succeeded on ``bridge_id``."""
        return _text(self._bridge(bridge_id).get("lastFlow"))

    def flow_of(
        self, bridge_id: str, *, login_id: str | None = None, account_id: str | None = None
    ) -> str | None:
        """The flow that last connected this account (else this login), when known."""
        bridge = self._bridge(bridge_id)
        for table, key in (("accounts", account_id), ("logins", login_id)):
            known = bridge.get(table)
            if key and isinstance(known, dict) and _text(known.get(key)):
                return _text(known.get(key))
        return None

    def cannot_finish(self, bridge_id: str) -> frozenset[str]:
        """Flows of ``bridge_id`` a session once took to a step a terminal can't do."""
        flows = self._bridge(bridge_id).get("cannotFinish")
        if not isinstance(flows, list):
            return frozenset()
        return frozenset(f for f in flows if isinstance(f, str))

    # --- What the wizard tells it ------------------------------------------------------------

    def succeeded(
        self,
        bridge_id: str,
        flow_id: str,
        *,
        login_id: str | None = None,
        account_id: str | None = None,
    ) -> None:
        """A login on ``flow_id`` completed: it becomes the bridge's default and the flow of
        that login and account."""

        def change(bridge: dict[str, Any]) -> None:
            bridge["lastFlow"] = flow_id
            for table, key in (("logins", login_id), ("accounts", account_id)):
                if key:
                    known = bridge.get(table)
                    bridge[table] = {**(known if isinstance(known, dict) else {}), key: flow_id}

        self._change(bridge_id, change)

    def reached_step_it_cannot_do(self, bridge_id: str, flow_id: str) -> None:
        """A session on ``flow_id`` reached a step only Beeper Desktop can do (``webauthn``):
        never preselect that flow again."""

        def change(bridge: dict[str, Any]) -> None:
            known = bridge.get("cannotFinish")
            flows = [f for f in known if isinstance(f, str)] if isinstance(known, list) else []
            if flow_id not in flows:
                bridge["cannotFinish"] = [*flows, flow_id]

        self._change(bridge_id, change)

    # --- The file ----------------------------------------------------------------------------

    def _bridge(self, bridge_id: str) -> dict[str, Any]:
        bridge = self._read()["bridges"].get(bridge_id)
        return bridge if isinstance(bridge, dict) else {}

    def _read(self) -> Document:
        """The whole document: in memory, from the file, or empty (missing or unreadable)."""
        if self.path is None:
            return self._in_memory
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return _empty()
        except OSError as err:
            log.warning("ignoring remembered login flows: can't read %s: %s", self.path, err)
            return _empty()
        try:
            document = json.loads(text)
        except ValueError as err:
            log.warning("ignoring remembered login flows: %s is not JSON (%s)", self.path, err)
            return _empty()
        if not (isinstance(document, dict) and isinstance(document.get("bridges"), dict)):
            log.warning("ignoring remembered login flows: %s is not in their shape", self.path)
            return _empty()
        return document

    def _change(self, bridge_id: str, change: Callable[[dict[str, Any]], None]) -> None:
        """Read, change one bridge's entry, write back — locked, atomically; a failure to
        write is ignored (what is remembered is a convenience)."""
        if self.path is None:
            change(self._in_memory["bridges"].setdefault(bridge_id, {}))
            return
        try:
            with self._locked():
                document = self._read()
                bridge = document["bridges"].get(bridge_id)
                if not isinstance(bridge, dict):
                    bridge = document["bridges"][bridge_id] = {}
                change(bridge)
                document["version"] = VERSION
                self._write(document)
        except OSError as err:
            log.warning("can't remember the login flow in %s: %s", self.path, err)

    def _locked(self) -> contextlib.AbstractContextManager[None]:
        assert self.directory is not None
        return locked(self.directory, LOCK_NAME)

    def _write(self, document: Document) -> None:
        """Replace the file atomically and 0600 (``write_private_json``)."""
        assert self.path is not None
        write_private_json(self.path, document)


def _empty() -> Document:
    return {"version": VERSION, "bridges": {}}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
