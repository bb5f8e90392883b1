"""Typed shapes of the Beeper Desktop API, as pydantic v2 models, one resource a module:

- :mod:`.wire`: ``WireModel``, the base of every shape (camelCase on the wire, extras kept);
- :mod:`.statuses`: the known status values and the one account ``Health``;
- :mod:`.info`: what Beeper Desktop says about itself;
- :mod:`.accounts`: accounts, bridges, logins;
- :mod:`.steps`: login steps and displays, and the step kinds of the step registry;
- :mod:`.problems`: error bodies and their validation issues;
- :mod:`.sessions`: login sessions.

Import the shapes from here (``from beeper_tui.api.models import Bridge``). The login-session
shapes (:mod:`.steps`, :mod:`.sessions`) load the first time one is asked for: the accounts
screen and ``status`` never need them, and making their classes was a tenth of a MiB of every
start. Status strings outside the known sets parse unchanged, so a newer Beeper Desktop never
breaks us.
"""

from typing import TYPE_CHECKING, Any

from beeper_tui.api.models.accounts import (
    Account,
    AccountBridge,
    Bridge,
    BridgeLogin,
    CancelLoginSessionResult,
    LoginFlow,
    RemoveLoginResult,
    User,
)
from beeper_tui.api.models.info import (
    AppInfo,
    AppSetup,
    Endpoints,
    Info,
    InfoModel,
    OAuthEndpoints,
    PlatformInfo,
    ServerInfo,
)
from beeper_tui.api.models.problems import (
    APIError,
    ValidationIssue,
)
from beeper_tui.api.models.statuses import (
    ACCOUNT_STATUSES,
    BRIDGE_STATUSES,
    BRIDGE_UNAVAILABLE,
    LOGIN_STATUSES,
    PROVIDERS,
    REMOVE_SCOPES,
    SESSION_ENDED,
    SESSION_STATUSES,
    Health,
    classify_health,
)
from beeper_tui.api.models.wire import (
    WireModel,
    wire_alias,
)

if TYPE_CHECKING:
    from beeper_tui.api.models.sessions import (
        LoginSession,
    )
    from beeper_tui.api.models.steps import (
        KNOWN_DISPLAY_TYPES,
        KNOWN_STEP_TYPES,
        STEP_KINDS,
        UNKNOWN,
        CodeDisplay,
        CompleteStep,
        CookieField,
        CookiesStep,
        Display,
        DisplayAndWaitStep,
        EmojiDisplay,
        LoginInputField,
        LoginStep,
        NothingDisplay,
        QRDisplay,
        UnknownDisplay,
        UnknownShape,
        UnknownStep,
        UserInputStep,
        step_kind,
        union_tags,
        wire_type,
    )


def __getattr__(name: str) -> Any:
    """A login-session shape: every other name in ``__all__`` is set above, these are set the
    first time one is asked for, when their modules load."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from beeper_tui.api.models import sessions, steps

    value = getattr(sessions if name == "LoginSession" else steps, name)
    globals()[name] = value
    return value


__all__ = [
    "ACCOUNT_STATUSES",
    "BRIDGE_STATUSES",
    "BRIDGE_UNAVAILABLE",
    "KNOWN_DISPLAY_TYPES",
    "KNOWN_STEP_TYPES",
    "LOGIN_STATUSES",
    "PROVIDERS",
    "REMOVE_SCOPES",
    "SESSION_ENDED",
    "SESSION_STATUSES",
    "STEP_KINDS",
    "UNKNOWN",
    "APIError",
    "Account",
    "AccountBridge",
    "AppInfo",
    "AppSetup",
    "Bridge",
    "BridgeLogin",
    "CancelLoginSessionResult",
    "CodeDisplay",
    "CompleteStep",
    "CookieField",
    "CookiesStep",
    "Display",
    "DisplayAndWaitStep",
    "EmojiDisplay",
    "Endpoints",
    "Health",
    "Info",
    "InfoModel",
    "LoginFlow",
    "LoginInputField",
    "LoginSession",
    "LoginStep",
    "NothingDisplay",
    "OAuthEndpoints",
    "PlatformInfo",
    "QRDisplay",
    "RemoveLoginResult",
    "ServerInfo",
    "UnknownDisplay",
    "UnknownShape",
    "UnknownStep",
    "User",
    "UserInputStep",
    "ValidationIssue",
    "WireModel",
    "classify_health",
    "step_kind",
    "union_tags",
    "wire_alias",
    "wire_type",
]
