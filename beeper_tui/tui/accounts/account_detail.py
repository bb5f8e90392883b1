"""``AccountDetail``: everything known about the selected account, and its bridge login.

The login (status, the other accounts it holds) comes from ``GET /v1/bridges/{id}/logins``,
which the screen loads lazily for the selection; until then the pane says it is loading.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from beeper_tui.api.errors import BeeperError
from beeper_tui.api.models import BridgeLogin, classify_health
from beeper_tui.text import shown
from beeper_tui.tui.accounts.account_rows import AccountRow, health_label

_LOGIN_GLYPHS = {"connected": "✔", "connecting": "↻", "needs_login": "✖", "logged_out": "✖"}
#: A bridge's logins as loaded in a refresh cycle, or the error that came instead.
LoginsEntry = tuple[int, list[BridgeLogin] | str]
SCOPE_WORDS = {"current-device": "this device", "all-devices": "all devices"}


@dataclass(frozen=True)
class LoginInfo:
    """What the pane knows of an account's login: loading, a failure, or the login."""

    login: BridgeLogin | None = None
    loading: bool = False
    error: str | None = None


class Section:
    """A heading and ``label  value`` lines; values wrap inside their own column."""

    def __init__(self, heading: str) -> None:
        self.heading = heading
        self.grid = Table.grid(padding=(0, 1))
        self.grid.add_column(style="dim", no_wrap=True, min_width=10)
        self.grid.add_column(overflow="fold")
        self.notes: list[Text] = []

    def field(self, label: str, value: object | None) -> None:
        """A line for ``value``, unless it is missing."""
        if value is not None and value != "":
            self.grid.add_row(label, Text(shown(value)))

    def note(self, text: str | Text, style: str = "dim") -> None:
        """A line of prose under the fields."""
        self.notes.append(text if isinstance(text, Text) else Text(text, style=style))

    def __rich__(self) -> Group:
        parts: list[RenderableType] = [Text(f"\n{self.heading}", style="bold")]
        if self.grid.rows:
            parts.append(self.grid)
        parts.extend(self.notes)
        return Group(*parts)


def login_section(info: LoginInfo, row: AccountRow, accounts: Mapping[str, AccountRow]) -> Section:
    """The "Login" section: its status and every other account it holds."""
    section = Section("Login")
    if not row.login_id:
        section.note("This account has no login ID.")
    elif info.loading:
        section.note("Loading…", style="dim italic")
    elif info.error is not None:
        section.note(Text("Couldn't load the login: ") + Text(shown(info.error)))
    elif info.login is None:
        section.note("Beeper Desktop doesn't list this login.")
    else:
        login = info.login
        glyph = _LOGIN_GLYPHS.get(login.status, "?")
        section.field("Status", f"{glyph} {login.status.replace('_', ' ')}")
        section.field("Says", login.status_text)
        scopes = ", ".join(SCOPE_WORDS.get(s, s) for s in login.remove_scopes)
        section.field("Removable", scopes or "not from here")
        others = [a for a in login.account_ids or [] if a != row.account_id]
        section.note("Also on this login:" if others else "No other account on this login.")
        for account_id in others:
            other = accounts.get(account_id)
            line = Text("  • ")
            if other is None:
                line.append(shown(account_id))
            else:
                line.append(shown(other.title))
                line.append(f"  {health_label(classify_health(other.status))}", style="dim")
            section.note(line)
    return section


def detail_renderable(
    row: AccountRow,
    info: LoginInfo,
    accounts: Mapping[str, AccountRow],
    note: str | None = None,
) -> Group:
    """Every field of an account, grouped, then its login."""
    account, user = row.account, row.account.user
    top = Text(shown(row.person), style="bold")
    top.append(f"\n{shown(row.network)} · runs {shown(row.runs)}")
    top.append(f"\n{health_label(row.health)}", style="bold")
    top.append(f" ({shown(row.status)})")
    if row.status_text:
        top.append("\n" + shown(row.status_text))
    if note:
        top.append(f"\n● {note}", style="italic")
    about = Section("Account")
    about.field("Account ID", account.account_id)
    about.field("Login ID", account.login_id)
    about.field("Network", account.network)
    bridge = Section("Bridge")
    bridge.field("ID", account.bridge.id)
    bridge.field("Name", row.bridge.display_name)
    bridge.field("Type", account.bridge.type)
    bridge.field("Provider", account.bridge.provider)
    person = Section("Person")
    person.field("User ID", user.id)
    person.field("Full name", user.full_name)
    person.field("Username", user.username)
    person.field("Phone", user.phone_number)
    person.field("Email", user.email)
    if user.is_self is not None:
        person.field("Self", "yes" if user.is_self else "no")
    login = login_section(info, row, accounts)
    return Group(top, about, bridge, person, login)


class AccountDetail(VerticalScroll, can_focus=False):
    """The selected account, every field of it, and its login.

    The login comes from ``GET /v1/bridges/{id}/logins`` (``load_logins``), loaded here in a
    worker for the shown account only and kept per bridge for one refresh cycle
    (``new_cycle``)."""

    DEFAULT_CSS = """
    AccountDetail {
        width: 40;
        height: 1fr;
        padding: 0 1;
        border-left: vkey $foreground 30%;
        background: $surface;
    }
    """

    def __init__(
        self,
        load_logins: Callable[[str], Awaitable[list[BridgeLogin]]],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.load_logins = load_logins
        self._logins: dict[str, LoginsEntry] = {}
        self._cycle = 0
        self._shown: tuple[AccountRow | None, Mapping[str, AccountRow], str | None] = (
            None,
            {},
            None,
        )

    def compose(self) -> ComposeResult:
        yield Static("No account selected.", id="detail-body")

    def new_cycle(self) -> None:
        """The list was refreshed: logins loaded before are shown, but loaded again when an
        account of their bridge is next shown anew."""
        self._cycle += 1

    def remember(self, bridge_id: str, logins: list[BridgeLogin]) -> None:
        """Logins loaded elsewhere (the remove dialog) for this cycle."""
        self._logins[bridge_id] = (self._cycle, logins)

    def show(
        self,
        row: AccountRow | None,
        accounts: Mapping[str, AccountRow],
        note: str | None = None,
        *,
        fetch: bool = True,
    ) -> None:
        """Show ``row``; load its login when this cycle has not yet."""
        self._shown = (row, accounts, note)
        body = self.query_one("#detail-body", Static)
        if row is None:
            body.update(Text("No account selected.", style="dim"))
            return
        # bridge_key: the bridge ID, and its target with several Beeper Desktops
        entry = self._logins.get(row.bridge_key)
        body.update(detail_renderable(row, self._login_info(row, entry), accounts, note))
        if fetch and row.login_id and (entry is None or entry[0] != self._cycle):
            self._load(row.bridge_key)

    @staticmethod
    def _login_info(
        row: AccountRow, entry: tuple[int, list[BridgeLogin] | str] | None
    ) -> LoginInfo:
        if entry is None:
            return LoginInfo(loading=bool(row.login_id))
        if isinstance(entry[1], str):
            return LoginInfo(error=entry[1])
        return LoginInfo(login=next((x for x in entry[1] if x.login_id == row.login_id), None))

    @work(exclusive=True, group="logins")
    async def _load(self, bridge_id: str) -> None:
        cycle = self._cycle
        logins: list[BridgeLogin] | str
        try:
            logins = await self.load_logins(bridge_id)
        except BeeperError as exc:
            logins = exc.message
        except Exception as exc:  # e.g. a bridge ID no URL can carry: said, never raised
            logins = f"{type(exc).__name__}: {exc}"
        self._logins[bridge_id] = (cycle, logins)
        row, accounts, note = self._shown
        if row is not None and row.bridge_key == bridge_id and self.query("#detail-body"):
            self.show(row, accounts, note, fetch=False)
