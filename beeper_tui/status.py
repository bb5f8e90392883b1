"""``beeper-tui status``: accounts grouped by bridge with their health, for people and scripts.

Headless: this module and everything it imports stay free of textual, so the command starts fast.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, TextIO

from beeper_tui.api.errors import BeeperError
from beeper_tui.api.models import Account, Bridge, Health
from beeper_tui.connect import Connection
from beeper_tui.text import json_dumps, one_line

EXIT_OK, EXIT_ATTENTION, EXIT_ERROR = 0, 1, 2


def account_entry(bridge: Bridge, account: Account) -> dict[str, Any]:
    """One account as scripts see it (``status --json``, ``watch --json``)."""
    return {
        "accountID": account.account_id,
        "loginID": account.login_id,
        "bridge": bridge.id,
        "network": account.network or bridge.display_name,
        "name": account.user.display_name,
        "status": account.status,
        "health": account.health.value,
        "statusText": account.status_text,
        "provider": account.bridge.provider,
    }


def build_report(bridges: list[Bridge], server_version: str | None, label: str) -> dict[str, Any]:
    accounts = [account_entry(b, a) for b in bridges for a in b.accounts]
    counts = Counter(entry["health"] for entry in accounts)
    return {
        "server": {"version": server_version, "url": label},
        "summary": {
            "accounts": len(accounts),
            **{health.value: counts.get(health.value, 0) for health in Health},
        },
        "bridges": [
            {
                "id": bridge.id,
                "displayName": bridge.display_name,
                "provider": bridge.provider,
                "status": bridge.status,
                "statusText": bridge.status_text,
                "activeAccountCount": bridge.active_account_count,
                "accounts": [account_entry(bridge, a) for a in bridge.accounts],
            }
            for bridge in bridges
        ],
    }


def render_text(report: dict[str, Any]) -> str:
    """The report for a person: a summary line, then each bridge with its accounts,
    the ones needing attention first. Every value from the server (names, IDs, provider,
    statuses, the version header) is shown through :func:`one_line`: one line each, no
    control reaches the terminal, and nothing can fake a line of its own."""
    summary = report["summary"]
    server = report["server"]
    attention = summary[Health.ATTENTION.value]
    version = one_line(server["version"], 40) if server["version"] else "(version unknown)"
    head = f"Beeper Desktop {version} · {one_line(server['url'], 120)}"
    verdict = (
        f"{summary['accounts']} accounts · {attention} need attention"
        if attention
        else f"All {summary['accounts']} accounts fine"
        if summary["accounts"]
        else "No accounts yet: add one with beeper-tui"
    )
    lines = [head, verdict, ""]
    for bridge in report["bridges"]:
        if not bridge["accounts"] and bridge["status"] != "connected":
            continue
        state = one_line(bridge["status"], 40) + (
            f" — {one_line(bridge['statusText'], 80)}" if bridge["statusText"] else ""
        )
        lines.append(
            f"{one_line(bridge['displayName'], 40)}  ({one_line(bridge['id'], 60)} · "
            f"{one_line(bridge['provider'], 20)} · {state})"
        )
        ranked = sorted(bridge["accounts"], key=lambda e: Health(e["health"]).rank)
        for entry in ranked:
            health = Health(entry["health"])
            detail = one_line(entry["status"], 40) + (
                f" — {one_line(entry['statusText'], 90)}" if entry["statusText"] else ""
            )
            lines.append(
                f"  {health.glyph} {health.value:<16} {one_line(entry['name'], 32, pad=True)}  "
                f"{detail}"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def error_line(exc: BeeperError) -> str:
    """An error as one line of stderr: its message may quote the server, so it goes through
    the text policy like everything else the server sent."""
    return one_line(exc.explanation, 400)


async def run_status(conn: Connection, *, as_json: bool, out: TextIO, err: TextIO) -> int:
    """Print the report; exit 0 when all accounts are fine, 1 when any needs attention,
    2 on error (the error's message on stderr, never a traceback). ``--json`` is written by
    :func:`json_dumps`: the exact values, with every character a terminal would act on
    escaped."""
    try:
        async with conn.client as client:
            bridges = await client.bridges()
            version = client.server_version
    except BeeperError as exc:
        err.write(f"beeper-tui: {error_line(exc)}\n")
        return EXIT_ERROR
    report = build_report(bridges, version, conn.label)
    if as_json:
        out.write(json_dumps(report, indent=2) + "\n")
    else:
        out.write(render_text(report))
    return EXIT_ATTENTION if report["summary"][Health.ATTENTION.value] else EXIT_OK
