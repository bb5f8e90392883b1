"""``AccountDetail``: everything known about the selected account, and its bridge login.

The login (status, the other accounts it holds) comes from ``GET /v1/bridges/{id}/logins``,
which the screen loads lazily for the selection; until then the pane says it is loading.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from beeper_tui.api.errors import BeeperError
from beeper_tui.api.models import BridgeLogin, classify_health
from beeper_tui.text import cell_width, clean, shown, truncate_middle
from beeper_tui.tui.accounts.account_rows import AccountRow, health_label
from beeper_tui.tui.accounts.account_words import (
    account_status_words,
    api_value_differs,
    login_glyph,
    login_status_words,
)

#: A bridge's logins as loaded in a refresh cycle, or the error that came instead.
LoginsEntry = tuple[int, list[BridgeLogin] | str]
SCOPE_WORDS = {"current-device": "this device", "all-devices": "all devices"}
#: Content this wide (or wider) lays the sections out in two columns (the pane below the list).
TWO_COLUMNS = 84
#: From this terminal width the pane sits beside the list (which keeps 100+ columns).
SIDE_WIDTH = 150
#: Below that width, from this height the pane sits below the list; lower, it waits for ``i``.
BELOW_HEIGHT = 34


def detail_place(width: int, height: int) -> str:
    """Where the detail pane goes in a terminal ``width`` × ``height``: ``side`` on a wide
    screen; ``below`` the list on a tall enough one; else ``hidden`` until asked for (then it
    opens below). The list's Status column keeps its room either way."""
    if width >= SIDE_WIDTH:
        return "side"
    return "below" if height >= BELOW_HEIGHT else "hidden"


@dataclass(frozen=True)
class LoginInfo:
    """What the pane knows of an account's login: loading, a failure, or the login."""

    login: BridgeLogin | None = None
    loading: bool = False
    error: str | None = None


class OneLineID:
    """An ID on one line, cut in the middle to the width it is given (``local-wha…AAAA1``):
    never wrapped, so a glance or a mouse selection never takes half of it. ``c`` copies
    it whole."""

    def __init__(self, value: str) -> None:
        self.value = clean(value)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(truncate_middle(self.value, options.max_width), no_wrap=True, end="")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(cell_width(self.value), 12), cell_width(self.value))


class Said:
    """What the pane has said already, so each text is said once: a repeated value is left
    out, a repeated ID points to the field that holds it."""

    def __init__(self, *texts: str) -> None:
        self._texts = {text.casefold() for text in texts if text}
        self._ids: dict[str, str] = {}

    def first_time(self, text: str) -> bool:
        """True (and remembered) the first time ``text`` is said."""
        key = text.casefold()
        if key in self._texts:
            return False
        self._texts.add(key)
        return True

    def id_field(self, value: str, label: str) -> str | None:
        """The label of the field that showed ID ``value`` before, or None (then remembered)."""
        before = self._ids.get(value)
        if before is None:
            self._ids[value] = label
        return before


class Section:
    """A heading and ``label  value`` lines; values wrap inside their own column, IDs stay on
    one line. A value said before in the pane is not said again."""

    def __init__(self, heading: str, said: Said, hint: str = "") -> None:
        self.heading = heading
        self.hint = hint
        self.said = said
        self.grid = Table.grid(padding=(0, 1))
        self.grid.add_column(style="dim", no_wrap=True, min_width=10)
        self.grid.add_column(overflow="fold")
        self.notes: list[Text] = []

    def field(self, label: str, value: object | None, quiet: str = "") -> None:
        """A line for ``value``, unless it is missing or was said already; ``quiet`` (the API
        value behind the words) follows it dimmed."""
        if value is None or value == "":
            return
        text = shown(value)
        if not self.said.first_time(text):
            return
        line = Text(text)
        if quiet:
            line.append(f"  {shown(quiet, 40)}", style="dim")
        self.grid.add_row(label, line)

    def id_field(self, label: str, value: str | None) -> None:
        """An ID: on one line, cut in the middle; one shown before points to its field."""
        if not value:
            return
        before = self.said.id_field(value, label)
        if before is not None:
            self.grid.add_row(label, Text(f"same as the {before}", style="dim"))
        else:
            self.grid.add_row(label, OneLineID(value))

    def note(self, text: str | Text, style: str = "dim") -> None:
        """A line of prose under the fields."""
        self.notes.append(text if isinstance(text, Text) else Text(text, style=style))

    def __rich__(self) -> Group:
        heading = Text(f"\n{self.heading}", style="bold")
        if self.hint:
            heading.append(f"  {self.hint}", style="dim")
        parts: list[RenderableType] = [heading]
        if self.grid.rows:
            parts.append(self.grid)
        parts.extend(self.notes)
        return Group(*parts)


def login_section(
    info: LoginInfo, row: AccountRow, accounts: Mapping[str, AccountRow], said: Said
) -> Section:
    """The "Login" section: its status and every other account it holds."""
    section = Section("Login", said)
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
        words = login_status_words(login.status)
        quiet = login.status if api_value_differs(words, login.status) else ""
        section.field("Status", f"{login_glyph(login.status)} {words}", quiet)
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


def headline(row: AccountRow, note: str | None, said: Said) -> Text:
    """Who, where, and how the account is doing — in words first ("✖ needs attention —
    must sign in again"), the API value quietly after — then what the server says."""
    top = Text(shown(row.person), style="bold")
    top.append(f"\n{shown(row.network)} · runs {shown(row.runs)}")
    words = account_status_words(row.status)
    top.append(f"\n{health_label(row.health)}", style="bold")
    if api_value_differs(words, row.health.value):
        top.append(f" — {words}")
    if api_value_differs(words, row.status):
        top.append(f"  {shown(row.status, 40)}", style="dim")
    if row.status_text and said.first_time(shown(row.status_text)):
        top.append("\n" + shown(row.status_text))
    if note:
        top.append(f"\n● {note}", style="italic")
    return top


def detail_renderable(
    row: AccountRow,
    info: LoginInfo,
    accounts: Mapping[str, AccountRow],
    note: str | None = None,
    *,
    columns: int = 1,
) -> Group:
    """Every field of an account, grouped, then its login; each text said once. With
    ``columns=2`` the sections sit side by side (a wide pane below the list)."""
    account, user = row.account, row.account.user
    said = Said(shown(row.person), shown(row.network), shown(row.runs))
    top = headline(row, note, said)
    about = Section("Account", said, hint="c copies the account ID")
    about.id_field("Account ID", account.account_id)
    about.id_field("Login ID", account.login_id)
    about.field("Network", account.network)
    bridge = Section("Bridge", said)
    bridge.id_field("ID", account.bridge.id)
    bridge.field("Name", row.bridge.display_name)
    if account.bridge.type != account.bridge.id:
        bridge.field("Type", account.bridge.type)
    bridge.field("Provider", account.bridge.provider)
    person = Section("Person", said)
    person.id_field("User ID", user.id)
    person.field("Full name", user.full_name)
    person.field("Username", user.username)
    person.field("Phone", user.phone_number)
    person.field("Email", user.email)
    if user.is_self is not None:
        person.field("Self", "yes, this is you" if user.is_self else "no")
    login = login_section(info, row, accounts, said)
    if columns < 2:
        return Group(top, about, bridge, person, login)
    sides = Table.grid(padding=(0, 3), expand=True)
    sides.add_column(ratio=1)
    sides.add_column(ratio=1)
    sides.add_row(Group(about, bridge), Group(person, login))
    return Group(top, sides)


class AccountDetail(VerticalScroll, can_focus=False):
    """The selected account, every field of it, and its login.

    The login comes from ``GET /v1/bridges/{id}/logins`` (``load_logins``), loaded here in a
    worker for the shown account only and kept per bridge for one refresh cycle
    (``new_cycle``)."""

    DEFAULT_CSS = """
    AccountDetail {
        width: 46;
        height: 1fr;
        padding: 0 1;
        border-left: vkey $foreground 30%;
        background: $surface;
        &.-below {
            width: 1fr;
            height: 1fr;
            min-height: 8;
            border-left: none;
            border-top: hkey $foreground 30%;
        }
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
        self._drawn_columns = 1

    @property
    def shown_row(self) -> AccountRow | None:
        """The account the pane shows (None before the first)."""
        return self._shown[0]

    def compose(self) -> ComposeResult:
        yield Static("No account selected.", id="detail-body")

    def on_resize(self) -> None:
        """Two columns of sections when the pane is wide (below the list), one when not."""
        row, accounts, note = self._shown
        if row is not None and self._columns() != self._drawn_columns:
            self.show(row, accounts, note, fetch=False)

    def _columns(self) -> int:
        return 2 if self.scrollable_content_region.width >= TWO_COLUMNS else 1

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
        self._drawn_columns = columns = self._columns()
        info = self._login_info(row, entry)
        body.update(detail_renderable(row, info, accounts, note, columns=columns))
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
