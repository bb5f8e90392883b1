"""The demo world's data: bridges and accounts.

Names are deliberately awkward — emoji, Arabic and Hebrew, a 200+ character name, one holding
``[bold]`` markup — so every screen gets tested against them. ``extra_accounts`` adds
generated accounts spread over the multi-account bridges (to measure the UI at 2 000).

The demo world (``build_demo_world``; flows in ``flows.py``)::

  bridge           name             provider      status (text)                       accounts
  ---------------  ---------------  ------------  ----------------------------------  --------
  local-whatsapp   WhatsApp         local         connected                           3
  local-signal     Signal           local         connected, max 2 → limit_reached    1
  telegram         Telegram         cloud         connected                           2
  local-gmessages  Google Messages  local         connected                           1
  slackgo          Slack            cloud         connected                   3 (2 on 1 login)
  instagramgo      Instagram        cloud         connected                           1
  discordgo        Discord          cloud         connected                           1
  local-linkedin   LinkedIn         local         available                           0
  bluesky          Bluesky          cloud         connected                           1
  matrix           Beeper           cloud         connected (one account, no flows)   1
  twitter          X                cloud         limit_reached (max 1)               1
  imessage         iMessage         platform-sdk  temporarily_unavailable             1
  googlechat       Google Chat      cloud         disabled                            1
  sh-irc           IRC              self-hosted   available                           0

  flows (default first)   steps
  ----------------------  --------------------------------------------------------------------
  local-whatsapp qr       QR (rotates: new data, same stepID; then fails with "timeout")
  local-whatsapp phone    phone_number → code display "ABCD-1234" → complete
  local-signal qr         QR "sgnl://linkdevice?uuid=…&pub_key=…" → complete
  telegram phone          phone_number → 2fa_code (pattern; only "12345", else failed
                          "invalid_code") → password → complete
  local-gmessages qr      QR → emoji (imageURL …/notoemoji/latest/<codepoint>/512.png) → complete
  slackgo cookies         d cookie + localConfig_v2 local_storage → TWO workspace accounts
  instagramgo cookies     sessionid, csrftoken, ds_user_id, mid cookies + X-IG-WWW-Claim header
  discordgo qr | token    QR → complete | user_input token → complete
  local-linkedin passkey  unknown step type "webauthn" (cancel only) | cookies li_at, JSESSIONID
  bluesky password        username + app password (pattern) → "nothing" display → complete
  twitter cookies         auth_token, ct0
  imessage mac            "nothing" display → complete (reconnect only: bridge unavailable)
  googlechat google       email → "nothing" display → complete (reconnect only: disabled)
  sh-irc server           select (options) + domain + nickname (pattern) + optional password

Accounts cover every status (connected, connecting, backfilling, connection_required,
reconnect_required, attention_required, disconnected, disabled) and awkward names: emoji,
Arabic and Hebrew, a 200+ character name, ``[bold]`` markup. Display steps are "scanned" by
``World.scan`` or by themselves after ``autoscan`` seconds. Completing a login (new or
reconnect) shows its accounts ``backfilling`` for ``backfill_seconds``, then ``connected``.
``activeAccountCount`` is the bridge's number of accounts. Remove scopes: local → both,
cloud/self-hosted → all-devices, platform-sdk → current-device.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

from beeper_tui.sim.flows import FLOWS_BY_BRIDGE, person, phone
from beeper_tui.sim.records import SimBridge
from beeper_tui.sim.world import World

LOCAL_SCOPES = ("current-device", "all-devices")
CLOUD_SCOPES = ("all-devices",)


def _bridge(bridge_id: str, name: str, type_: str, provider: str, **extra: Any) -> SimBridge:
    scopes = {"local": LOCAL_SCOPES, "platform-sdk": ("current-device",)}.get(
        provider, CLOUD_SCOPES
    )
    extra.setdefault("network", name)
    return SimBridge(
        bridge_id,
        name,
        type_,
        provider,
        flows=FLOWS_BY_BRIDGE[bridge_id],
        remove_scopes=scopes,
        **extra,
    )


BRIDGES = (
    _bridge("local-whatsapp", "WhatsApp", "whatsapp", "local"),
    _bridge("local-signal", "Signal", "signal", "local", limit=2),
    _bridge("telegram", "Telegram", "telegram", "cloud"),
    _bridge("local-gmessages", "Google Messages", "gmessages", "local"),
    _bridge("slackgo", "Slack", "slackgo", "cloud"),
    _bridge("instagramgo", "Instagram", "instagramgo", "cloud"),
    _bridge("discordgo", "Discord", "discordgo", "cloud"),
    _bridge("local-linkedin", "LinkedIn", "linkedin", "local"),
    _bridge("bluesky", "Bluesky", "bluesky", "cloud"),
    _bridge("matrix", "Beeper", "matrix", "cloud", supports_multiple=False),
    _bridge("twitter", "X", "twitter", "cloud", limit=1, network="X (Twitter)"),
    _bridge(
        "imessage", "iMessage", "imessage", "platform-sdk",
        supports_multiple=False,
        fixed_status="temporarily_unavailable",
        fixed_text="Temporarily unavailable while Beeper updates this bridge",
    ),
    _bridge(
        "googlechat", "Google Chat", "googlechat", "cloud",
        fixed_status="disabled",
        fixed_text="Google Chat is turned off: enable it in Settings › Chat networks",
    ),
    _bridge("sh-irc", "IRC", "irc", "self-hosted", network="IRC (self-hosted)"),
)  # fmt: skip

LONG_NAME = (
    "Maximilian Alexander Bartholomew von Hohenzollern-Sigmaringen-Wittelsbach, "
    "Chief Executive Snack Officer of the Extremely Long Display Names Appreciation Society "
    "(Northern Hemisphere Chapter), Keeper of the Overflowing Table Cells 🦄🦄🦄"
)

# (bridge, loginID, accountID or None, status, statusText, user)
ACCOUNTS: tuple[tuple[str, str, str | None, str, str | None, dict[str, Any]], ...] = (
    ("local-whatsapp", "ba_EvYDBBsZbRQAy3UOSWqG0LuTVkc", None, "connected", None,
     {"fullName": "Batuhan İçöz", "phoneNumber": "+15550101001"}),
    ("local-whatsapp", "ba_Qm9uZGF5TW9ybmluZ0NvZmZlZQ", None, "reconnect_required",
     "Phone offline for 14 days: scan the QR code again to reconnect",
     {"fullName": "مريم الحسيني", "phoneNumber": "+971501234567"}),
    ("local-whatsapp", "ba_V29ya1Bob25lRm9yVGVzdHM", None, "connected", None,
     {"fullName": "[bold]Work[/bold] phone 📱", "phoneNumber": "+447700900123"}),
    ("local-signal", "ba_U2lnbmFsTm9hTGV2aUFjY3Q", None, "connected", None,
     {"fullName": "נועה לוי 🌸", "phoneNumber": "+972521234567"}),
    ("telegram", "528914776", None, "backfilling", "Syncing recent messages… 62%",
     {"fullName": "Dmitri Volkov 🚀", "username": "dvolkov", "phoneNumber": "+79161234567"}),
    ("telegram", "913377001", None, "connecting", "Connecting to Telegram…",
     {"fullName": "Ana Souza", "username": "anasouza", "phoneNumber": "+5511987654321"}),
    ("local-gmessages", "ba_R01lc3NhZ2VzUHJpeWFTaGFy", None, "connection_required",
     "Can't reach Google Messages on your phone: open it and check it is online",
     {"fullName": "Priya Sharma", "phoneNumber": "+919812345678"}),
    ("slackgo", "T01ACME0001-U02JAMIE001", "slackgo.T01ACME0001-U02JAMIE001", "connected", None,
     {"fullName": "Jamie Rivera (Acme Corp)", "username": "jamie", "email": "jamie@acme.example"}),
    ("slackgo", "T01ACME0001-U02JAMIE001", "slackgo.T03OSC00002-U04JRIVERA9",
     "attention_required", "Slack needs you to accept this workspace's new terms of service",
     {"fullName": "Jamie Rivera (Open Source Collective)", "username": "jrivera"}),
    ("slackgo", "T05FREE0003-U06JAMIE003", "slackgo.T05FREE0003-U06JAMIE003", "connected", None,
     {"fullName": "J. Rivera (Freelance ☕)", "username": "jr"}),
    ("instagramgo", "17841400000000001", None, "attention_required",
     "Instagram wants to confirm it's you: open the Instagram app",
     {"fullName": "Sofía Martínez ✨", "username": "sofia.designs"}),
    ("discordgo", "221590782384013314", "discordgo", "connected", None,
     {"fullName": LONG_NAME, "username": "maximilian"}),
    ("bluesky", "did-plc-4xq2mzl7n3ukdc", None, "disconnected",
     "Signed out: the app password was revoked",
     {"fullName": "Alex Chen", "username": "alexchen.bsky.social"}),
    ("matrix", "matrix", "matrix", "connected", None,
     {"id": "@batuhan:beeper.com", "fullName": "Batuhan İçöz", "username": "batuhan:beeper.com",
      "email": "batuhan@example.com"}),
    ("twitter", "1456789012345678901", None, "connected", None,
     {"fullName": "Nia Thompson 🐦", "username": "nia_t"}),
    ("imessage", "ba_aU1lc3NhZ2VLaW1QYXJrTWFj", None, "reconnect_required",
     "Messages on this Mac signed out: sign in again",
     {"fullName": "Kim Park", "email": "kim.park@icloud.example"}),
    ("googlechat", "108234567890123456789", None, "disabled", "Google Chat is turned off",
     {"fullName": "Jordan Smith", "email": "jordan.smith@northwind.example"}),
)  # fmt: skip

GENERATED_TROUBLES = (
    ("reconnect_required", "Signed out: sign in again to reconnect"),
    ("connection_required", "Can't reach your phone: check that it is online"),
    ("attention_required", "Needs your attention: open the app on your phone"),
    ("disconnected", "Disconnected: retrying soon"),
    ("connecting", "Connecting…"),
    ("disabled", "Turned off in Settings"),
)


def populate(world: World, extra_accounts: int = 0) -> None:
    """Fill ``world`` with the demo bridges and accounts, plus generated ones."""
    for bridge in BRIDGES:
        world.add_bridge(bridge)
    for bridge_id, login_id, account_id, status, text, user in ACCOUNTS:
        user = {"id": login_id, **user, "isSelf": True}
        world.add_account(
            bridge_id, login_id, user, status=status, status_text=text, account_id=account_id
        )
    _generate(world, extra_accounts)


def _generate(world: World, count: int) -> None:
    """``count`` more accounts, round-robin over the unlimited multi-account bridges."""
    hosts = [
        b for b in BRIDGES if b.supports_multiple and b.limit is None and b.fixed_status is None
    ]
    rng = world.rng
    for number, bridge in zip(range(count), itertools.cycle(hosts), strict=False):
        login_id = f"gen{number:05d}"
        name = person(rng)
        user: dict[str, Any] = {"id": login_id, "fullName": f"{name} #{number + 1}", "isSelf": True}
        if bridge.id in ("local-whatsapp", "local-signal", "telegram", "local-gmessages"):
            user["phoneNumber"] = phone(rng)
        else:
            user["username"] = name.lower().replace(" ", ".") + str(number)
        status, text = ("connected", None)
        if rng.random() < 0.15:
            status, text = rng.choice(GENERATED_TROUBLES)
        world.add_account(bridge.id, login_id, user, status=status, status_text=text)


def build_demo_world(
    *,
    autoscan: float | None = None,
    live_changes: bool = False,
    qr_rotate_first: float = 60.0,
    qr_rotate_every: float = 20.0,
    qr_rotations: int = 5,
    session_ttl: float = 1800.0,
    token: str = "demo-token",
    extra_accounts: int = 0,
    clock: Callable[[], float] = time.monotonic,
) -> World:
    """The demo world of the table at the top of this module, plus ``extra_accounts``
    generated accounts; ``clock`` is the world's time (a ``ManualClock`` in tests)."""
    world = World(
        token=token,
        clock=clock,
        autoscan=autoscan,
        live_changes=live_changes,
        qr_rotate_first=qr_rotate_first,
        qr_rotate_every=qr_rotate_every,
        qr_rotations=qr_rotations,
        session_ttl=session_ttl,
    )
    populate(world, extra_accounts)
    return world
