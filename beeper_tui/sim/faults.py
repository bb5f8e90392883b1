"""Faults on demand: make the simulator slow, wrong or broken for chosen requests.

Kinds:

==============  ===========================================================================
latency         wait ``delay`` seconds, then answer normally (other faults may still apply)
status          answer ``status`` (default 500) with the official error body
malformed       answer 200 with a body that is not valid JSON
drop            break the connection (after ``delay`` s): the client sees a transport error;
                a drop added while a display_and_wait long-poll waits breaks that wait
ratelimit       answer 429 with a ``Retry-After: <retry_after>`` header
unauthorized    answer 401 as for a bad token
==============  ===========================================================================

A rule matches an optional ``method`` and ``path`` (a prefix, or an fnmatch pattern when it
holds ``*?[``), fires ``times`` times (None = forever), each time with probability ``chance``.
Rules are checked in the order they were added. Thread-safe: tests add rules from their own
thread while uvicorn serves in another.
"""

from __future__ import annotations

import fnmatch
import random
import threading
from dataclasses import dataclass, field
from typing import Any

KINDS = ("latency", "status", "malformed", "drop", "ratelimit", "unauthorized")


@dataclass
class FaultRule:
    kind: str
    path: str | None = None
    method: str | None = None
    times: int | None = 1
    status: int = 500
    delay: float = 0.0
    retry_after: float = 1.0
    chance: float = 1.0
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        if self.path is None:
            return True
        if any(char in self.path for char in "*?["):
            return fnmatch.fnmatchcase(path, self.path)
        return path.startswith(self.path)

    @property
    def used_up(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def to_wire(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": self.path,
            "method": self.method,
            "times": self.times,
            "status": self.status,
            "delay": self.delay,
            "retryAfter": self.retry_after,
            "chance": self.chance,
            "fired": self.fired,
        }


@dataclass
class Faults:
    """The list of active fault rules of a world."""

    rules: list[FaultRule] = field(default_factory=list)
    rng: random.Random = field(default_factory=random.Random)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(
        self,
        kind: str,
        *,
        path: str | None = None,
        method: str | None = None,
        times: int | None = 1,
        status: int = 500,
        delay: float = 0.0,
        retry_after: float = 1.0,
        chance: float = 1.0,
    ) -> FaultRule:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {', '.join(KINDS)}")
        rule = FaultRule(kind, path, method, times, status, delay, retry_after, chance)
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()

    def take(self, method: str, path: str, kinds: tuple[str, ...] = KINDS) -> list[FaultRule]:
        """Rules of ``kinds`` that fire for this request now: every matching latency rule and
        the first other matching rule. Each counts as fired once; used-up rules are dropped."""
        fired: list[FaultRule] = []
        with self._lock:
            terminal_found = False
            for rule in self.rules:
                if rule.kind not in kinds or rule.used_up or not rule.matches(method, path):
                    continue
                if rule.kind != "latency" and terminal_found:
                    continue
                if rule.chance < 1.0 and self.rng.random() >= rule.chance:
                    continue
                rule.fired += 1
                fired.append(rule)
                terminal_found = terminal_found or rule.kind != "latency"
            self.rules = [rule for rule in self.rules if not rule.used_up]
        return fired


def parse_fault_spec(spec: str) -> dict[str, Any]:
    """``KIND[:PATH[:TIMES]]`` → keyword arguments for :meth:`Faults.add`.

    KIND is a fault kind or an HTTP status number (``503`` = kind status, status 503);
    ``latency=0.5`` / ``drop=2`` / ``ratelimit=3`` set delay or retry-after. PATH is a prefix
    or fnmatch pattern (empty = every path). TIMES defaults to forever.

    >>> parse_fault_spec("503:/v1/bridges:2")
    {'kind': 'status', 'status': 503, 'path': '/v1/bridges', 'times': 2}
    """
    kind, _, rest = spec.partition(":")
    path, _, times = rest.partition(":")
    kind, _, amount = kind.partition("=")
    options: dict[str, Any] = {}
    if kind.isdigit():
        options = {"kind": "status", "status": int(kind)}
    elif kind in KINDS:
        options = {"kind": kind}
    else:
        raise ValueError(f"unknown fault {kind!r}: use one of {', '.join(KINDS)} or a status")
    if amount:
        key = "retry_after" if kind == "ratelimit" else "delay"
        options[key] = float(amount)
    if path:
        options["path"] = path
    options["times"] = int(times) if times else None
    return options
