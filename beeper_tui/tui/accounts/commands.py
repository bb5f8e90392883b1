"""The command palette's account commands, in words: "Reconnect WhatsApp — Alice Example".

A screen offers commands by having a ``palette_commands()`` method that returns
:class:`PaletteCommand` s; :class:`AccountCommands` (in the screen's ``COMMANDS``) turns them
into palette hits. Names are data: hits are built as plain ``Content``, never markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape

from beeper_tui.api.adding import why_cant_add
from beeper_tui.api.models import Bridge, Health
from beeper_tui.text import clean
from beeper_tui.tui.accounts.account_rows import AccountRow
from beeper_tui.tui.accounts.account_words import an_account_of


class AccountsActions(Protocol):
    """What the palette's commands do, on whichever screen offers them (the accounts screen
    is one)."""

    def action_reconnect_all(self) -> None: ...
    def action_add(self) -> None: ...
    def refresh_now(self) -> None: ...
    def add_account(self, bridge_id: str) -> None: ...
    def run_account_action(self, action: str, account_id: str) -> None: ...


@dataclass(frozen=True)
class PaletteCommand:
    """One command: its name as the palette shows it, what it does, a line of help."""

    title: str
    run: Callable[[], object]
    help: str = ""
    #: Listed before anything is typed (screen-wide commands, broken accounts).
    discover: bool = False


#: Up to this many commands, a query no command holds word for word is matched fuzzily.
FUZZY_LIMIT = 400
#: The palette shows the best hits; more than this many is noise (and slow to draw).
MAX_HITS = 60


def accounts_palette(
    screen: AccountsActions, bridges: Sequence[Bridge], rows: Sequence[AccountRow]
) -> list[PaletteCommand]:
    """The accounts screen's commands: screen-wide ones, adding to each bridge that can take
    an account, then per account reconnect, remove, copy ID and details."""
    commands = [
        PaletteCommand("Reconnect all accounts that need attention",
                       screen.action_reconnect_all, "One wizard after another", True),
        PaletteCommand("Add an account", screen.action_add, "Pick a network", True),
        PaletteCommand("Refresh now", screen.refresh_now, "Ask Beeper Desktop again", True),
    ]  # fmt: skip
    for bridge in bridges:
        if why_cant_add(bridge) is None:
            name = clean(bridge.display_name)
            commands.append(PaletteCommand(f"Add {an_account_of(name)}", _adder(screen, bridge.id)))
    for row in rows:
        title = clean(row.title)[:100]
        status = clean(row.status_text or row.status)[:100]
        broken = row.health is Health.ATTENTION
        act = _actor(screen, row.key)
        commands += [
            PaletteCommand(f"Reconnect {title}", act("reconnect"), status, broken),
            PaletteCommand(f"Remove {title}", act("remove"), "Remove its login"),
            PaletteCommand(f"Copy the account ID of {title}", act("copy_id"), row.account_id),
            PaletteCommand(f"Show details of {title}", act("details"), status),
        ]
    return commands


def _adder(screen: AccountsActions, bridge_id: str) -> Callable[[], None]:
    return lambda: screen.add_account(bridge_id)


def _actor(screen: AccountsActions, account_id: str) -> Callable[[str], Callable[[], None]]:
    def act(action: str) -> Callable[[], None]:
        return lambda: screen.run_account_action(action, account_id)

    return act


def word_match(terms: list[str], candidate: str) -> tuple[float, list[tuple[int, int]]]:
    """Score ``candidate`` (0 = no match) when every term occurs in it, and the spans
    that matched. Terms starting a word, and covering more of the name, score higher."""
    folded = candidate.casefold()
    spans: list[tuple[int, int]] = []
    starts = 0
    for term in terms:
        at = folded.find(term)
        if at < 0:
            return 0.0, []
        word_start = folded.find(" " + term)
        if at == 0 or word_start >= 0:
            starts += 1
            at = at if at == 0 else word_start + 1
        spans.append((at, at + len(term)))
    coverage = sum(len(t) for t in terms) / max(len(folded), 1)
    return 0.5 + 0.3 * starts / len(terms) + 0.2 * min(coverage, 1.0), spans


def styled(candidate: str, spans: list[tuple[int, int]], style: Any) -> Content:
    """``candidate`` as plain content (no markup parsed), with ``spans`` styled."""
    content = Content(candidate)
    for start, end in spans:
        content = content.stylize(style, start, end)
    return content


def fuzzy_spans(matcher: Matcher, candidate: str) -> tuple[float, list[tuple[int, int]]]:
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    return score, [(o, o + 1) for o in offsets if not candidate[o].isspace()]


class AccountCommands(Provider):
    """Commands of the screen the palette was opened on (accounts: reconnect, remove…).

    Matching is by words ("reconnect slack open"), which stays fast over thousands of
    accounts; when no command holds the words, a small list is matched fuzzily."""

    _listed: list[PaletteCommand] | None = None

    def _commands(self) -> list[PaletteCommand]:
        """The screen's commands, gathered once per opening of the palette."""
        if self._listed is None:
            source = getattr(self.screen, "palette_commands", None)
            self._listed = list(source()) if callable(source) else []
        return self._listed

    async def discover(self) -> Hits:
        for command in self._commands():
            if command.discover:
                yield DiscoveryHit(
                    Content(command.title),
                    command.run,
                    text=command.title,
                    help=escape(command.help),
                )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        terms = query.casefold().split()
        commands = self._commands()
        found = [(*word_match(terms, c.title), c) for c in commands]
        found = [hit for hit in found if hit[0] > 0]
        if not found and len(commands) <= FUZZY_LIMIT:
            found = [(*fuzzy_spans(matcher, c.title), c) for c in commands]
            found = [(min(score, 1.0) * 0.5, spans, c) for score, spans, c in found if score > 0]
        found.sort(key=lambda hit: hit[0], reverse=True)
        for score, spans, command in found[:MAX_HITS]:
            yield Hit(
                score,
                styled(command.title, spans, matcher.match_style),
                command.run,
                text=command.title,
                help=escape(command.help),
            )
