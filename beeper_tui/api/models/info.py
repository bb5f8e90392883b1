"""What Beeper Desktop says about itself: ``GET /v1/info`` and ``GET /v1/app/setup``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from beeper_tui.api.models.wire import WireModel


class InfoModel(BaseModel):
    """/v1/info uses snake_case keys, unlike the rest of the API."""

    model_config = ConfigDict(extra="allow", defer_build=True)


class AppInfo(InfoModel):
    name: str
    version: str
    bundle_id: str


class PlatformInfo(InfoModel):
    os: str
    arch: str
    release: str | None = None


class ServerInfo(InfoModel):
    status: str
    base_url: str
    port: int
    hostname: str
    remote_access: bool
    mcp_enabled: bool


class OAuthEndpoints(InfoModel):
    authorization_endpoint: str
    token_endpoint: str
    introspection_endpoint: str
    userinfo_endpoint: str
    revocation_endpoint: str
    registration_endpoint: str


class Endpoints(InfoModel):
    oauth: OAuthEndpoints
    spec: str
    mcp: str
    ws_events: str


class Info(InfoModel):
    app: AppInfo
    platform: PlatformInfo
    server: ServerInfo
    endpoints: Endpoints


class AppSetup(WireModel):
    """``GET /v1/app/setup``: whether Beeper Desktop itself is signed in and set up."""

    state: str
    """``needs-login``, ``initializing``, ``needs-verification``, … or ``ready``."""
