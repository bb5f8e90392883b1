"""Logins that survive a crash, in the account manager: "A login for WhatsApp was left open
3 min ago — Resume / Cancel", for each login session a beeper-tui that ended abruptly (``kill
-9``, a power cut) left open on Beeper Desktop.

On start, :func:`offer_leftovers` settles the journal (``login_leftovers``) on every Beeper
Desktop the app manages: sessions older than a session lives are cancelled quietly, gone ones
are forgotten, and each one still open is offered, newest first, once the accounts are on
screen (never over a wizard or the sign-in).
Resume opens the wizard on that session at its current step (a QR or code step's long-poll
starts again); Cancel DELETEs it. From the moment they are offered the sessions are this
app's (their target's ``sessions``), so quitting with the offer on screen cancels them too.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from beeper_tui.api import errors
from beeper_tui.api.models import Account, Bridge, LoginSession, step_kind
from beeper_tui.login_journal import LoginJournal, RecordedLogin
from beeper_tui.login_leftovers import REQUEST_TIMEOUT, SESSION_LIFETIME, settle_leftovers
from beeper_tui.text import clean_lines, shown
from beeper_tui.tui.login.identity import account_being_fixed
from beeper_tui.tui.login.wizard_title import step_title
from beeper_tui.tui.widgets.dialog import Dialog

if TYPE_CHECKING:
    from collections.abc import Sequence

    from beeper_tui.tui.app import BeeperApp, DesktopTarget
    from beeper_tui.tui.login.outcome import LoginOutcome

#: Seconds between looks at whether the accounts are on screen (to show the offer there).
HOME_CHECK_EVERY = 0.1

#: The time now, in seconds since the epoch (the journal's clock; tests move it).
clock = time.time


def age_words(seconds: float) -> str:
    """ "just now", "1 min ago", "12 min ago"."""
    minutes = int(max(seconds, 0) // 60)
    return "just now" if minutes < 1 else f"{minutes} min ago"


@dataclass(frozen=True)
class LeftoverLogin:
    """One login session left open, as offered: what the journal and the server said."""

    entry: RecordedLogin
    session: LoginSession
    target: DesktopTarget
    """The Beeper Desktop it is open on."""
    bridge_name: str
    fixing: Account | None = None
    """On a reconnect, the account it was for (from the bridge's list)."""

    def headline(self, now: float) -> str:
        """ "A login for WhatsApp was left open 3 min ago" ("… WhatsApp on work …" when there
        are several Beeper Desktops)."""
        age = age_words(now - self.entry.opened_at)
        where = f" on {shown(self.target.name, 30)}" if self.target.name else ""
        return f"A login for {shown(self.bridge_name, 40)}{where} was left open {age}"

    def where(self) -> str:
        """What it was doing: "Reconnecting Alice Example, at: Scan the QR code with your
        phone." (server text, cleaned)."""
        from beeper_tui.tui.login.steps import STEP_WIDGETS, UnknownStepWidget

        what = (
            f"Reconnecting {shown(self.fixing.user.display_name, 60)}"
            if self.fixing
            else ("Reconnecting an account" if self.session.login_id else "Adding an account")
        )
        step = self.session.current_step
        if step is None:
            return f"{what}."
        heading = STEP_WIDGETS.get(step_kind(step), UnknownStepWidget).heading
        return f"{what}, at: {shown(step_title(step, heading), 80)}."


class LeftoverLoginDialog(ModalScreen[bool]):
    """ "A login for WhatsApp was left open 3 min ago": True resumes it, False cancels it
    (Esc too: a login nobody carries on is cancelled, never left open)."""

    BINDINGS = [
        Binding("r", "answer(True)", "Resume"),
        Binding("c,escape", "answer(False)", "Cancel the login"),
    ]

    DEFAULT_CSS = """
    LeftoverLoginDialog {
        align: center middle;
        #leftover-dialog { width: 72; max-width: 95%; }
        #leftover-headline { text-style: bold; margin-bottom: 1; }
        #leftover-where { margin-bottom: 1; }
        #leftover-buttons { height: auto; margin-top: 1; }
        Button { margin-right: 2; }
    }
    """

    EXPLANATION = (
        "beeper-tui ended before this login was finished. Resume it where it was, or cancel "
        "it on Beeper Desktop."
    )

    def __init__(self, leftover: LeftoverLogin, position: int = 1, count: int = 1) -> None:
        super().__init__()
        self.leftover = leftover
        self.headline = leftover.headline(clock())
        if count > 1:
            self.headline += f" ({position} of {count})"

    @property
    def text(self) -> str:
        """What the dialog says, as plain text (for tests)."""
        return f"{self.headline}\n{self.leftover.where()}\n{self.EXPLANATION}"

    def compose(self) -> ComposeResult:
        with Dialog(id="leftover-dialog"):
            yield Static(Text(clean_lines(self.headline)), id="leftover-headline")
            yield Static(Text(clean_lines(self.leftover.where())), id="leftover-where")
            yield Static(self.EXPLANATION)
            with Horizontal(id="leftover-buttons"):
                yield Button("Resume (r)", id="leftover-resume", variant="primary")
                yield Button("Cancel the login (c)", id="leftover-cancel", variant="error")

    def on_mount(self) -> None:
        self.query_one("#leftover-resume", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "leftover-resume")

    def action_answer(self, resume: bool) -> None:
        self.dismiss(resume)


# --- The offer, from start to end -------------------------------------------------------------


async def offer_leftovers(
    app: BeeperApp, journal: LoginJournal, targets: Sequence[DesktopTarget]
) -> None:
    """Settle what a crash left open on each of ``targets``, then offer each session still
    open (see the module). Run as an app worker; nothing here stops the app from starting."""
    leftovers: list[LeftoverLogin] = []
    for target in targets:
        client = target.client
        try:
            found = await settle_leftovers(client, journal, client.base_url, keep_open=True)
        except Exception:  # the journal is a safety net: never a reason not to start
            continue
        for entry, session in found.still_open:  # ours now: every way out cancels them
            target.sessions.track_session(entry.bridge_id, entry.session_id)
            leftovers.append(await _described(target, entry, session))
    leftovers.sort(key=lambda leftover: leftover.entry.opened_at, reverse=True)  # newest first
    for position, leftover in enumerate(leftovers, 1):
        await _accounts_shown(app)
        if clock() - leftover.entry.opened_at > SESSION_LIFETIME:
            await _cancel(app, leftover)  # it ran out while the ones before were handled
            continue
        dialog = LeftoverLoginDialog(leftover, position, len(leftovers))
        if await app.push_screen_wait(dialog):
            outcome = await app.push_screen_wait(_wizard_for(leftover))
            _report(app, outcome)
        else:
            await _cancel(app, leftover)


async def _described(
    target: DesktopTarget, entry: RecordedLogin, session: LoginSession
) -> LeftoverLogin:
    """The leftover with its bridge's name and, on a reconnect, whom it was for."""
    bridge: Bridge | None = None
    with contextlib.suppress(errors.BeeperError, TimeoutError):
        async with asyncio.timeout(REQUEST_TIMEOUT):
            bridge = await target.client.bridge(entry.bridge_id)
    fixing = account_being_fixed(bridge, session.login_id, session.account_id)
    name = bridge.display_name if bridge else entry.bridge_id
    return LeftoverLogin(entry, session, target, name, fixing)


async def _accounts_shown(app: BeeperApp) -> None:
    """Wait until the accounts are the screen on top: the offer never covers a wizard, the
    sign-in or another question."""
    from beeper_tui.tui.accounts.screen import AccountsScreen

    while not isinstance(app.screen, AccountsScreen):
        await asyncio.sleep(HOME_CHECK_EVERY)


def _wizard_for(leftover: LeftoverLogin) -> Screen[LoginOutcome]:
    """The login wizard on the leftover's session, at its current step."""
    from beeper_tui.tui.login.screen import LoginWizardScreen

    session = leftover.session
    return LoginWizardScreen(
        leftover.entry.bridge_id,
        login_id=session.login_id,
        account_id=session.account_id,
        target=leftover.target if leftover.target.name else None,
        resume_session=leftover.entry.session_id,
    )


def _report(app: BeeperApp, outcome: LoginOutcome | None) -> None:
    """Tell the accounts screen how the resumed login ended, as after any wizard it opened."""
    from beeper_tui.tui.accounts.screen import AccountsScreen

    home = next((s for s in app.screen_stack if isinstance(s, AccountsScreen)), None)
    if home is None or outcome is None:
        return
    fixed = outcome.fixing.account_id if outcome.fixing else None
    home.wizards.finished(outcome, home.feed.row(fixed) if fixed else None)


async def _cancel(app: BeeperApp, leftover: LeftoverLogin) -> None:
    """DELETE the session (gone counts as cancelled); one that can't be cancelled now stays
    the app's, to be cancelled as it quits — or by the next start."""
    entry, target = leftover.entry, leftover.target
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT):
            await target.client.cancel_login_session(entry.bridge_id, entry.session_id)
    except errors.NotFound:
        pass
    except (errors.BeeperError, TimeoutError) as err:
        why = err.message if isinstance(err, errors.BeeperError) else "no answer"
        app.notify(
            f"The login for {shown(leftover.bridge_name, 40)} could not be cancelled now "
            f"({shown(why, 80)}); it will be when beeper-tui quits.",
            title="Not cancelled yet",
            severity="warning",
            markup=False,
        )
        return
    target.sessions.untrack_session(entry.bridge_id, entry.session_id)
