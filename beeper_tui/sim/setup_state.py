"""``GET /v1/app/setup``: whether the simulated Beeper Desktop is signed in and set up.

``World.setup_state`` is one of :data:`SETUP_STATES` (``beeper-tui sim --setup-state X``).
Until the state is ``ready`` the endpoint is public (apps discover that sign-in is needed
before they hold a token); once ready it needs a token like the rest of ``/v1``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

if TYPE_CHECKING:
    from beeper_tui.sim.world import World

SETUP_PATH = "/v1/app/setup"
SETUP_STATES = (
    "needs-login",
    "initializing",
    "needs-cross-signing-setup",
    "needs-verification",
    "needs-secrets",
    "needs-first-sync",
    "ready",
)
#: How far along each state is: the e2ee flags that are true from it on.
_PROGRESS = {state: index for index, state in enumerate(SETUP_STATES)}


def is_public(world: World, method: str, path: str) -> bool:
    """Whether this request may go without a token: the setup state before sign-in ends."""
    return method == "GET" and path == SETUP_PATH and world.setup_state != "ready"


def setup_body(state: str) -> dict[str, Any]:
    """The official response shape for ``state``."""
    step = _PROGRESS[state]
    signed_in = step >= _PROGRESS["initializing"]
    body: dict[str, Any] = {
        "state": state,
        "e2ee": {
            "initialized": step >= _PROGRESS["needs-cross-signing-setup"],
            "secretStorage": step >= _PROGRESS["needs-verification"],
            "crossSigning": step >= _PROGRESS["needs-verification"],
            "verified": step >= _PROGRESS["needs-secrets"],
            "secrets": {
                key: step >= _PROGRESS["needs-first-sync"]
                for key in (
                    "masterKey",
                    "selfSigningKey",
                    "userSigningKey",
                    "megolmBackupKey",
                    "recoveryKey",
                )
            },
            "keyBackup": step >= _PROGRESS["needs-first-sync"],
            "firstSyncDone": state == "ready",
            "hasBackedUpRecoveryKey": state == "ready",
        },
    }
    if signed_in:
        body["matrix"] = {
            "userID": "@demo:beeper.com",
            "deviceID": "BEEPERTUISIM",
            "homeserver": "https://matrix.beeper.com",
        }
    return body


async def app_setup(request: Request) -> JSONResponse:
    world: World = request.app.state.world
    return JSONResponse(setup_body(world.setup_state))


ROUTES = [Route(SETUP_PATH, app_setup, methods=["GET"])]
