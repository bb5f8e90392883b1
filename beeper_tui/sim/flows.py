"""Scripted login flows of the simulated bridges: one readable block per flow.

A flow is a list of steps, run top to bottom; the kinds of step are in ``steps.py``:

- :class:`Ask` — a ``user_input`` form (``must_be``: the one right answer, else ``wrong``);
- :class:`AskCookies` — a ``cookies`` step (``checks``: what the values must look like);
- :class:`Show` — a ``display_and_wait`` step (qr, emoji, code or nothing), done when the phone
  side "scans" it; a QR with ``rotates=True`` gets new codes until they run out;
- :class:`Unsupported` — a step type the API cannot drive (``webauthn``); only cancel helps.

Two kinds of flow look alike on every network that has them, so each is written once:
:func:`qr_code` (the phone scans a code) and :func:`browser_sign_in` (one cookies step in a
desktop Chrome); the other flows are spelled out step by step.

When the last step is done the flow's ``makes`` builds the new account(s) — or, for a
reconnect, the existing login's accounts come back. Field types and validation follow the
upstream bridge framework (see ``inputs.py``).
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from beeper_tui.sim.inputs import Cookie, Field
from beeper_tui.sim.steps import Ask, AskCookies, Show, Step, Unsupported

# --- What a flow is ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NewAccount:
    """An account a finished flow creates; ``key`` is the network's own account key, if any."""

    user: dict[str, Any]
    key: str | None = None


Maker = Callable[[random.Random, Mapping[str, str]], list[NewAccount]]


@dataclass(frozen=True)
class Flow:
    id: str
    name: str
    description: str
    steps: tuple[Step, ...]
    makes: Maker

    def to_wire(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "description": self.description}


# --- Realistic random data ---------------------------------------------------------------------


def b64(rng: random.Random, size: int, *, urlsafe: bool = False) -> str:
    raw = rng.randbytes(size)
    return (base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)).decode()


def whatsapp_qr(rng: random.Random) -> str:
    """ref,noiseKey,identityKey,advSecret — about 225 characters, like the real thing."""
    return ",".join(["2@" + b64(rng, 66), b64(rng, 32), b64(rng, 32), b64(rng, 32)])


def signal_qr(rng: random.Random) -> str:
    uuid = b64(rng, 16, urlsafe=True).rstrip("=")
    return f"sgnl://linkdevice?uuid={uuid}&pub_key={quote(b64(rng, 33), safe='')}"


def gmessages_qr(rng: random.Random) -> str:
    return "https://support.google.com/messages/?p=web_computer#?c=" + b64(rng, 96)


def discord_qr(rng: random.Random) -> str:
    return "https://discord.com/ra/" + b64(rng, 32, urlsafe=True).rstrip("=")


EMOJI_CODEPOINTS = ("1f984", "1f99c", "1f422", "1f355", "1f680", "1f308", "1f36a", "1f98a")


def emoji_image(rng: random.Random) -> str:
    codepoint = rng.choice(EMOJI_CODEPOINTS)
    return f"https://fonts.gstatic.com/s/e/notoemoji/latest/{codepoint}/512.png"


def pairing_code(rng: random.Random) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTVWXYZ123456789"
    chars = "".join(rng.choice(alphabet) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


FIRST_NAMES = ("Amara", "Lukas", "Mei", "Tomás", "Zainab", "Oskar", "Yuki", "Chidi", "Ines")
LAST_NAMES = ("Okafor", "Berg", "Tanaka", "García", "Haddad", "Novak", "Silva", "Kim", "Moreau")


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def phone(rng: random.Random) -> str:
    return "+1555" + "".join(rng.choice("0123456789") for _ in range(7))


def digits(rng: random.Random, size: int) -> str:
    return str(rng.randint(10 ** (size - 1), 10**size - 1))


# --- What each network's finished login creates ------------------------------------------------


def phone_user(rng: random.Random, inputs: Mapping[str, str]) -> list[NewAccount]:
    name = person(rng)
    user = {"id": "", "fullName": name, "phoneNumber": inputs.get("phone_number") or phone(rng)}
    return [NewAccount({**user, "isSelf": True})]


def handle_user(field_id: str, domain: str = "") -> Maker:
    def make(rng: random.Random, inputs: Mapping[str, str]) -> list[NewAccount]:
        name = person(rng)
        handle = inputs.get(field_id) or name.lower().replace(" ", ".") + domain
        return [NewAccount({"id": "", "fullName": name, "username": handle, "isSelf": True})]

    return make


#: The account most networks create: a person known by the ``username`` they typed (or made up).
username_user = handle_user("username")


def slack_workspaces(rng: random.Random, inputs: Mapping[str, str]) -> list[NewAccount]:
    """One Slack login, two workspaces: two accounts that share the login."""
    name = person(rng)
    user_id = "U0" + digits(rng, 8)
    accounts = []
    for team in ("Northwind Traders", "Rust Meetup Berlin"):
        team_id = "T0" + digits(rng, 8)
        user = {"id": f"{team_id}-{user_id}", "fullName": f"{name} ({team})", "isSelf": True}
        accounts.append(NewAccount(user, key=f"{team_id}-{user_id}"))
    return accounts


def email_user(rng: random.Random, inputs: Mapping[str, str]) -> list[NewAccount]:
    name = person(rng)
    email = inputs.get("email") or name.lower().replace(" ", ".") + "@example.com"
    return [NewAccount({"id": "", "fullName": name, "email": email, "isSelf": True})]


# --- The flows ---------------------------------------------------------------------------------

CHROME_UA = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
PHONE_FIELD = Field("phone_number", "phone_number", "Phone number", placeholder="+1 555 010 1234")


def qr_code(
    description: str,
    step: Show,
    *then: Step,
    makes: Maker = phone_user,
) -> Flow:
    """A network's "QR code" flow: ``step`` shows the code the phone scans, ``then`` any steps
    that follow the scan."""
    return Flow("qr", "QR code", description, steps=(step, *then), makes=makes)


def browser_sign_in(
    description: str,
    step_id: str,
    instructions: str,
    *,
    url: str,
    cookies: tuple[Cookie, ...],
    final_url: str,
    extract_js: str | None = None,
    checks: tuple[tuple[str, str, str], ...] = (),
    makes: Maker = username_user,
) -> Flow:
    """A network's "Sign in with a browser" flow: one cookies step that opens ``url`` in a
    desktop Chrome and shares ``cookies`` once the browser reaches ``final_url``."""
    step = AskCookies(
        step_id,
        instructions,
        url=url,
        fields=cookies,
        user_agent=CHROME_UA,
        expected_final_url_regex=final_url,
        extract_js=extract_js,
        checks=checks,
    )
    return Flow("cookies", "Sign in with a browser", description, steps=(step,), makes=makes)


def cookie(name: str) -> Cookie:
    """A browser cookie, asked for under its own name."""
    return Cookie(name, "cookie", name)


WHATSAPP_QR = qr_code(
    "Scan a QR code with WhatsApp on your phone",
    Show("fi.mau.whatsapp.qr", "qr",
         "Open WhatsApp on your phone, tap Menu › Linked devices › Link a device, "
         "and scan this code.", data=whatsapp_qr, rotates=True),
)  # fmt: skip

WHATSAPP_PHONE = Flow(
    "phone", "Phone number", "Link with a pairing code instead of scanning",
    steps=(
        Ask("fi.mau.whatsapp.phone", "Enter the phone number of your WhatsApp account.",
            fields=(PHONE_FIELD,)),
        Show("fi.mau.whatsapp.pairing_code", "code",
             "On your phone open WhatsApp › Linked devices › Link with phone number, "
             "and enter this code.", data=pairing_code),
    ),
    makes=phone_user,
)  # fmt: skip

SIGNAL_QR = qr_code(
    "Scan a QR code with Signal on your phone",
    Show("fi.mau.signal.qr", "qr",
         "Open Signal on your phone, go to Settings › Linked devices, tap +, "
         "and scan this code.", data=signal_qr),
)  # fmt: skip

TELEGRAM_PHONE = Flow(
    "phone", "Phone number", "Sign in with your phone number and a login code",
    steps=(
        Ask("fi.mau.telegram.phone_number",
            "Enter your phone number in international format.", fields=(PHONE_FIELD,)),
        Ask("fi.mau.telegram.code",
            "Telegram sent a login code to your Telegram app on another device.",
            fields=(Field("code", "2fa_code", "Login code", placeholder="12345",
                          pattern=r"^[0-9]{5}$",
                          description="Five digits, sent to Telegram, not by SMS"),),
            must_be={"code": "12345"},
            wrong=("invalid_code", "That login code is not correct. Start again for a new code.")),
        Ask("fi.mau.telegram.password",
            "Your account is protected with a cloud password (two-step verification).",
            fields=(Field("password", "password", "Cloud password",
                          description="Hint: the name of your first pet"),)),
    ),
    makes=phone_user,
)  # fmt: skip

GMESSAGES_QR = qr_code(
    "Pair with Google Messages on your phone",
    Show("fi.mau.gmessages.qr", "qr",
         "Open Google Messages on your phone, tap your profile picture › Device pairing "
         "› QR code scanner, and scan this code.", data=gmessages_qr),
    Show("fi.mau.gmessages.emoji", "emoji",
         "Tap the matching emoji on your phone to finish pairing.", data=emoji_image),
)  # fmt: skip

SLACK_COOKIES = browser_sign_in(
    "Sign in to Slack in a browser and share its session",
    "fi.mau.slack.cookies",
    "Sign in to Slack in your browser, then share the session cookie and token.",
    url="https://app.slack.com/signin",
    cookies=(Cookie("token", "local_storage", "localConfig_v2"), cookie("d")),
    final_url=r"^https://app\.slack\.com/client/.+",
    extract_js="JSON.parse(localStorage.localConfig_v2).teams",
    checks=(("token", r"xoxc-", "The Slack token starts with xoxc-"),
            ("d", r"xoxd-", "The d cookie starts with xoxd-")),
    makes=slack_workspaces,
)  # fmt: skip

INSTAGRAM_COOKIES = browser_sign_in(
    "Sign in to Instagram in a browser",
    "fi.mau.meta.cookies", "Sign in to Instagram in your browser, then share its cookies.",
    url="https://www.instagram.com/accounts/login/",
    cookies=(cookie("sessionid"), cookie("csrftoken"), cookie("ds_user_id"), cookie("mid"),
             Cookie("x-ig-www-claim", "header", "X-IG-WWW-Claim")),
    final_url=r"^https://www\.instagram\.com/(?:\?.*)?$",
    extract_js="window._sharedData && window._sharedData.config",
    checks=(("ds_user_id", r"^[0-9]+$", "ds_user_id is a number"),),
)  # fmt: skip

DISCORD_QR = qr_code(
    "Scan a QR code with the Discord mobile app",
    Show("fi.mau.discord.qr", "qr",
         "Open Discord on your phone, tap the QR scanner in Settings, and scan this code.",
         data=discord_qr),
    makes=username_user,
)  # fmt: skip

DISCORD_TOKEN = Flow(
    "token", "Token", "Paste a Discord token (advanced)",
    steps=(
        Ask("fi.mau.discord.token", "Paste your Discord token.",
            fields=(Field("token", "token", "Discord token"),)),
    ),
    makes=username_user,
)  # fmt: skip

LINKEDIN_PASSKEY = Flow(
    "passkey", "Passkey", "Sign in with a passkey",
    steps=(
        Unsupported("com.linkedin.passkey", "webauthn", "Confirm the sign-in with your passkey.",
                    extra={"rpID": "www.linkedin.com", "challenge": "dGhpcyBpcyBub3QgcmVhbA"}),
    ),
    makes=username_user,
)  # fmt: skip

LINKEDIN_COOKIES = browser_sign_in(
    "Sign in to LinkedIn in a browser",
    "com.linkedin.cookies", "Sign in to LinkedIn, then share its cookies.",
    url="https://www.linkedin.com/login",
    cookies=(cookie("li_at"), cookie("JSESSIONID")),
    final_url=r"^https://www\.linkedin\.com/feed/",
)  # fmt: skip

BLUESKY_PASSWORD = Flow(
    "password", "App password", "Sign in with your handle and an app password",
    steps=(
        Ask("social.bsky.login", "Sign in with your Bluesky handle and an app password.",
            fields=(Field("username", "username", "Handle", placeholder="you.bsky.social"),
                    Field("password", "password", "App password",
                          placeholder="xxxx-xxxx-xxxx-xxxx",
                          pattern=r"^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$",
                          description="Create one in Bluesky: Settings › Privacy and security "
                                      "› App passwords"))),
        Show("social.bsky.approve", "nothing",
             "Waiting for approval on your other device: open Bluesky there and confirm "
             "this sign-in."),
    ),
    makes=handle_user("username", ".bsky.social"),
)  # fmt: skip

TWITTER_COOKIES = browser_sign_in(
    "Sign in to X in a browser",
    "com.twitter.cookies", "Sign in to X, then share its cookies.",
    url="https://x.com/i/flow/login",
    cookies=(cookie("auth_token"), cookie("ct0")),
    final_url=r"^https://x\.com/home",
)  # fmt: skip

IMESSAGE_MAC = Flow(
    "mac", "This Mac", "Use the Messages app signed in on this Mac",
    steps=(
        Show("com.apple.imessage.wait", "nothing",
             "Waiting for Messages on this Mac: open Messages and sign in with your Apple ID."),
    ),
    makes=email_user,
)  # fmt: skip

GOOGLECHAT_EMAIL = Flow(
    "google", "Google account", "Sign in with your Google Workspace account",
    steps=(
        Ask("com.google.chat.email", "Enter the email of your Google Workspace account.",
            fields=(Field("email", "email", "Email", placeholder="you@company.com"),)),
        Show("com.google.chat.prompt", "nothing",
             "Google sent a sign-in prompt to your phone: tap Yes to continue."),
    ),
    makes=email_user,
)  # fmt: skip

IRC_SERVER = Flow(
    "server", "IRC network", "Connect your own bridge to an IRC network",
    steps=(
        Ask("org.heisenbridge.network", "Choose the IRC network and your nickname.",
            fields=(Field("network", "select", "Network", initial_value="Libera.Chat",
                          options=("Libera.Chat", "OFTC", "hackint", "EFnet")),
                    Field("server", "domain", "Server (optional)", placeholder="irc.libera.chat",
                          optional=True),
                    Field("username", "username", "Nickname",
                          pattern=r"^[A-Za-z\[\]\\`_^{|}][A-Za-z0-9\[\]\\`_^{|}-]{0,15}$",
                          description="Up to 16 characters; no spaces"),
                    Field("password", "password", "NickServ password", optional=True))),
    ),
    makes=username_user,
)  # fmt: skip

#: Login flows of each bridge, default flow first.
FLOWS_BY_BRIDGE: dict[str, tuple[Flow, ...]] = {
    "local-whatsapp": (WHATSAPP_QR, WHATSAPP_PHONE),
    "local-signal": (SIGNAL_QR,),
    "telegram": (TELEGRAM_PHONE,),
    "local-gmessages": (GMESSAGES_QR,),
    "slackgo": (SLACK_COOKIES,),
    "instagramgo": (INSTAGRAM_COOKIES,),
    "discordgo": (DISCORD_QR, DISCORD_TOKEN),
    "local-linkedin": (LINKEDIN_PASSKEY, LINKEDIN_COOKIES),
    "bluesky": (BLUESKY_PASSWORD,),
    "matrix": (),
    "twitter": (TWITTER_COOKIES,),
    "imessage": (IMESSAGE_MAC,),
    "googlechat": (GOOGLECHAT_EMAIL,),
    "sh-irc": (IRC_SERVER,),
}
