"""``--log FILE``: every walk of test_client_flows.py (every command of an account manager and
every step kind the simulator has) replayed through the logging transport with a known token;
the log then holds one line per request, step change, account change and error — and none of
the token, the cookie values, the passwords, codes or QR data that went by."""

from __future__ import annotations

import asyncio
import io
import os
import stat
from functools import partial
from pathlib import Path

import httpx
import pytest

from beeper_tui.request_log import LoggingTransport, RequestLog, log_path_from
from beeper_tui.sim import build_demo_world
from tests import test_client_flows
from tests.support import contract
from tests.support.contract import Exchange, recording
from tests.test_conformance import walks

KNOWN_TOKEN = "tok_KNOWN-4f1b9c2e7d"
#: Values the walks type or paste (test_client_flows.py): passwords, codes, cookies, tokens.
TYPED_SECRETS = [
    "Biscuit",  # Telegram's 2FA password
    "abcd-efgh-ijkl-mnop",  # Bluesky's app password
    "12345",  # Telegram's code
    "54321",
    "xoxd-abc%2Fdef",  # Slack's d cookie
    "xoxd-abc/def",
    "xoxc-1-2-3",  # Slack's token (local storage)
    "1784%3AaBc",  # Instagram's sessionid cookie
    "hmac.AR3x",  # Instagram's claim header
    "MTIzNDU2Nzg5.abc.def",  # Discord's token
]


def shown_data(met: list[Exchange]) -> set[str]:
    """The QR and pairing-code contents login steps showed."""
    found = set()
    for exchange in met:
        body = exchange.response
        step = body.get("currentStep") if isinstance(body, dict) else None
        display = step.get("display") if isinstance(step, dict) else None
        if isinstance(display, dict) and display.get("type") in ("qr", "code"):
            found.add(display["data"])
    return found


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Exchange]]:
    path = tmp_path_factory.mktemp("log") / "beeper-tui.log"
    log = RequestLog.open(path)
    patch = pytest.MonkeyPatch()
    known_world = partial(build_demo_world, token=KNOWN_TOKEN)
    wrap = contract.sim_transport
    patch.setattr(contract, "build_demo_world", known_world)
    patch.setattr(test_client_flows, "build_demo_world", known_world)
    patch.setattr(contract, "sim_transport", lambda app: LoggingTransport(wrap(app), log))

    async def replay() -> None:
        for walk in walks():
            await walk()

    try:
        with recording() as met:
            asyncio.run(replay())
    finally:
        patch.undo()
        log.close()
    return path, met


def test_log_file_is_created_readable_by_the_owner_only(
    logged: tuple[Path, list[Exchange]],
) -> None:
    path, _ = logged
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_log_greps_clean_of_the_token_cookies_passwords_codes_and_qr_data(
    logged: tuple[Path, list[Exchange]],
) -> None:
    path, met = logged
    text = path.read_text()
    qr_and_codes = shown_data(met)
    assert len(qr_and_codes) >= 6  # WhatsApp, Signal, Discord, Google Messages QRs, a code…
    assert KNOWN_TOKEN not in text
    for secret in [*TYPED_SECRETS, *qr_and_codes]:
        assert secret not in text, f"{secret!r} was written to the log"


def test_log_has_a_line_per_request_with_status_time_and_version(
    logged: tuple[Path, list[Exchange]],
) -> None:
    path, met = logged
    lines = path.read_text().splitlines()
    requests = [line for line in lines if " request " in line]
    assert len(requests) == len(met)
    version = build_demo_world().app_version
    first = requests[0].split()
    assert first[0].endswith("Z") and first[1] == "request"
    assert requests[0].endswith(f"ms · Beeper Desktop {version}")
    methods = {line.split()[2] for line in requests}
    assert methods == {"GET", "POST", "DELETE"}
    assert all(line.split()[2] != "GET" or "?" not in line for line in requests)


def test_log_follows_login_steps_accounts_and_errors(
    logged: tuple[Path, list[Exchange]],
) -> None:
    path, _ = logged
    text = path.read_text()
    logins = [line for line in text.splitlines() if " login " in line]
    for shown in ("user_input", "cookies", "showing qr", "showing code", "showing emoji"):
        assert any(shown in line for line in logins), shown
    assert any("asking phone_number" in line for line in logins)
    assert any(": complete, no step" in line for line in logins)
    assert any("failed, no step — " in line for line in logins)  # the wrong code
    accounts = [line for line in text.splitlines() if " account " in line]
    assert any("reconnect_required → backfilling" in line for line in accounts)
    errors = [line for line in text.splitlines() if " error " in line]
    assert any("answered 409" in line and "limit" in line for line in errors)
    assert any("answered 404" in line for line in errors)


async def test_a_transport_failure_is_logged_and_still_raised(tmp_path: Path) -> None:
    path = tmp_path / "log"
    log = RequestLog.open(path)

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    transport = LoggingTransport(httpx.MockTransport(refuse), log)
    async with httpx.AsyncClient(transport=transport, base_url="http://x") as http:
        with pytest.raises(httpx.ConnectError):
            await http.get("/v1/bridges", headers={"Authorization": f"Bearer {KNOWN_TOKEN}"})
    log.close()
    [line] = path.read_text().splitlines()
    assert "error" in line and "GET /v1/bridges failed after" in line and "ConnectError" in line


async def test_cookies_and_issued_tokens_in_headers_and_bodies_are_redacted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log"
    log = RequestLog.open(path)

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400,
            headers={"Set-Cookie": "sid=s3cr3t-session; HttpOnly"},
            json={"message": f"bad cookie s3cr3t-c00kie and code {request.url.params}"},
        )

    transport = LoggingTransport(httpx.MockTransport(answer), log)
    async with httpx.AsyncClient(transport=transport, base_url="http://x") as http:
        await http.post(
            "/oauth/token",
            data={"code": "c0de-from-browser", "code_verifier": "v3rifier-xyz"},
            headers={"Cookie": "a=s3cr3t-c00kie; b=another-one"},
            params={"code": "c0de-from-browser"},
        )
    log.close()
    text = path.read_text()
    for secret in ("s3cr3t-c00kie", "another-one", "c0de-from-browser", "v3rifier-xyz"):
        assert secret not in text
    assert "POST /oauth/token 400" in text and "bad cookie *** and code" in text


def test_log_is_off_by_default_and_named_by_flag_or_environment() -> None:
    assert log_path_from(None, {}) is None
    assert log_path_from(None, {"BEEPER_TUI_LOG": "~/b.log"}) == Path("~/b.log").expanduser()
    assert log_path_from("x.log", {"BEEPER_TUI_LOG": "y.log"}) == Path("x.log")


def test_existing_log_is_appended_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "log"
    path.write_text("earlier\n")
    os.chmod(path, 0o600)
    log = RequestLog.open(path)
    log.write("error", "later")
    log.close()
    assert path.read_text().splitlines()[0] == "earlier"
    assert path.read_text().splitlines()[1].endswith("later")


def test_status_and_watch_with_log_over_loopback_keep_the_token_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from beeper_tui.cli import main
    from beeper_tui.config import resolve
    from beeper_tui.connect import connect
    from beeper_tui.sim.serve import running_server
    from beeper_tui.watch import run_watch

    for name in ("BEEPER_BASE_URL", "BEEPER_CUSTOM_HEADERS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("BEEPER_ACCESS_TOKEN", KNOWN_TOKEN)
    flag_log, env_log = tmp_path / "flag.log", tmp_path / "env.log"
    world = build_demo_world(token=KNOWN_TOKEN)
    with running_server(world) as base_url:
        assert main(["status", "--base-url", base_url, "--log", str(flag_log)]) == 1
        monkeypatch.setenv("BEEPER_TUI_LOG", str(env_log))
        assert main(["status", "--base-url", base_url]) == 1
        log = RequestLog.open(env_log)
        conn = connect(resolve(base_url=base_url), log=log)
        world.set_account_status(
            "local-whatsapp_ba_EvYDBBsZbRQAy3UOSWqG0LuTVkc", "connected", "fine"
        )

        async def two_polls() -> None:
            async def broken(_: float) -> None:
                world.set_account_status(
                    "local-whatsapp_ba_EvYDBBsZbRQAy3UOSWqG0LuTVkc", "disconnected", "gone"
                )

            out = io.StringIO()
            await run_watch(conn, as_json=True, interval=0, out=out, max_polls=2, sleep=broken)

        asyncio.run(two_polls())
        log.close()
    capsys.readouterr()
    for path in (flag_log, env_log):
        text = path.read_text()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "GET /v1/bridges 200" in text and KNOWN_TOKEN not in text
    assert "account local-whatsapp_ba_EvYDBBsZbRQAy3UOSWqG0LuTVkc: connected → disconnected" in (
        " ".join(env_log.read_text().split())
    )
