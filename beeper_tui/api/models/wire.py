"""The base of every API shape: keys camelCase on the wire exactly as the official document
spells them (``bridgeID``, ``imageURL``, ``extractJS``…), snake_case in Python; unknown extra
keys kept, so a newer Beeper Desktop never breaks us."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict

_ACRONYMS = re.compile(r"(Id|Url|Js)(?=[A-Z]|s?$)")


def wire_alias(name: str) -> str:
    """snake_case → the API's camelCase: ``bridge_id`` → ``bridgeID``, ``img_url`` → ``imgURL``."""
    head, *rest = name.split("_")
    camel = head + "".join(part[:1].upper() + part[1:] for part in rest)
    return _ACRONYMS.sub(lambda m: m.group(1).upper(), camel)


class WireModel(BaseModel):
    """Base for every API shape: camelCase aliases, extra keys kept, names or aliases accepted.

    An empty list or dict default is written as ``= []`` / ``= {}``: pydantic copies such a
    default for every instance, and a ``default_factory`` would have it read the factory's
    signature (``inspect.signature(list)``, ~2 ms of the first answer at every start)."""

    model_config = ConfigDict(
        alias_generator=wire_alias,
        populate_by_name=True,
        extra="allow",
        # Build each validator on first use: start-up only pays for the shapes it reads.
        defer_build=True,
    )

    def to_wire(self) -> dict[str, Any]:
        """The JSON-ready dict this model came from (aliases, no unset optional keys)."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")
