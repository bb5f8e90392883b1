"""The house has one direction of dependency: only tui/ may import textual."""

import subprocess
import sys

import pytest

HEADLESS_MODULES = [
    "beeper_tui.api.client",
    "beeper_tui.api.models",
    "beeper_tui.api.adding",
    "beeper_tui.api.errors",
    "beeper_tui.config",
    "beeper_tui.connect",
    "beeper_tui.status",
    "beeper_tui.watch",
    "beeper_tui.cli",
    "beeper_tui.startup",
    "beeper_tui.sim",
    "beeper_tui.loginkit.qr_text",
    "beeper_tui.loginkit.cookie_paste",
    "beeper_tui.loginkit.field_checks",
    "beeper_tui.loginkit.emoji_url",
    "beeper_tui.tui.login.target",
    "beeper_tui.tui.login.open_sessions",
    "beeper_tui.tui.login.driver",
    "beeper_tui.tui.login.wizard_title",
    "beeper_tui.text",
    "beeper_tui.auth",
    "beeper_tui.auth.oauth",
    "beeper_tui.auth.commands",
    "beeper_tui.discovery",
    "beeper_tui.config_file",
]


@pytest.mark.parametrize("module", HEADLESS_MODULES)
def test_headless_module_does_not_load_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False", f"{module} pulled in textual"


def test_status_command_path_does_not_load_textual() -> None:
    code = (
        "import sys, asyncio, io\n"
        "from beeper_tui.cli import main\n"
        "sys.stdout = io.StringIO()\n"
        "main(['status', '--demo'])\n"
        "sys.stdout = sys.__stdout__\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_the_accounts_screen_starts_without_what_only_other_rooms_need() -> None:
    """What the account manager imports to paint its list leaves out the login wizard's
    driver and step shapes and the bridges table (each loads when first used: see
    benchmarks/launch.py for what that saves)."""
    later = [
        "beeper_tui.api.models.steps",
        "beeper_tui.api.models.sessions",
        "beeper_tui.tui.login.driver",
        "beeper_tui.login_leftovers",
        "beeper_tui.tui.accounts.bridge_table",
        "textual.widgets._data_table",
        "beeper_tui.alerts.account_alerts",
        "beeper_tui.tui.accounts.commands",
    ]
    code = (
        "import sys, beeper_tui.cli, beeper_tui.tui.app, beeper_tui.tui.accounts.screen\n"
        f"print([name for name in {later!r} if name in sys.modules])\n"
        "from beeper_tui.api.models import LoginSession, QRDisplay\n"
        "print(LoginSession.__module__, QRDisplay.__module__)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    loaded, modules = result.stdout.strip().splitlines()
    assert loaded == "[]", result.stderr
    assert modules == "beeper_tui.api.models.sessions beeper_tui.api.models.steps"


def test_an_unknown_model_name_is_an_attribute_error() -> None:
    import beeper_tui.api.models as models

    with pytest.raises(AttributeError, match="NoSuchShape"):
        _ = models.NoSuchShape  # type: ignore[attr-defined]
