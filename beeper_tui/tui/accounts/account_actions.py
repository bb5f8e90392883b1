"""``AccountActions``: what reconnect, add, remove and copy ID do to one account, each on the
account's own Beeper Desktop.

The accounts screen's keys, its Enter menu and the command palette all end here, with an
account's :attr:`~beeper_tui.tui.accounts.account_rows.AccountRow.key` (its ID, with its
target when there are several) or a bridge's ID: this looks the account up in the feed, says
in a notification why it can't act (gone from the list, no login ID, a bridge that can't take
an account now), or starts the action — the login wizard (:class:`~.login_wizards.
LoginWizards`), the removal (:func:`~.remove_login.remove_login`, its dialog imported when
first opened), the clipboard. The screen keeps the keys, the workers and the drawing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from beeper_tui.api.adding import why_cant_add
from beeper_tui.api.models import Bridge, BridgeLogin, Health
from beeper_tui.text import clean, shown
from beeper_tui.tui.accounts.account_rows import AccountRow, row_key, split_key
from beeper_tui.tui.accounts.account_words import an_account_of
from beeper_tui.tui.accounts.feed import TargetFeeds
from beeper_tui.tui.accounts.login_wizards import LoginWizards
from beeper_tui.tui.accounts.targets import target_named, target_of

if TYPE_CHECKING:
    from beeper_tui.tui.app import BeeperApp, DesktopTarget


class AccountActions:
    """Acts on the accounts of a feed, through the app (its screens, notifications and
    clipboard) and the login wizards."""

    def __init__(
        self,
        app: BeeperApp,
        feed: TargetFeeds,
        wizards: LoginWizards,
        *,
        remember_logins: Callable[[str, list[BridgeLogin]], None],
    ) -> None:
        """``remember_logins(bridge_key, logins)`` keeps the logins a removal loaded, for the
        detail pane."""
        self.app = app
        self.feed = feed
        self.wizards = wizards
        self.remember_logins = remember_logins

    def target_of(self, row: AccountRow | None) -> DesktopTarget:
        """The Beeper Desktop an account is on (the first, with one or for ``None``)."""
        return target_of(self.app.targets, row)

    async def logins(self, bridge_key: str) -> list[BridgeLogin]:
        """``GET /v1/bridges/{id}/logins`` of a row's bridge, on the row's own target."""
        target, bridge_id = split_key(bridge_key) if self.feed.several else (None, bridge_key)
        return await target_named(self.app.targets, target).client.logins(bridge_id)

    def reconnect(self, account_id: str) -> None:
        """Open the login wizard on an account's login (and the bridge's remembered flow)."""
        row = self.feed.row(account_id)
        if row is None:
            self.app.notify("That account is no longer listed.", severity="warning")
            return
        self.wizards.reconnect(self.app, row)

    def add(self, bridge_id: str, target: str | None) -> None:
        """Open the login wizard for a new account on ``target``'s bridge, unless the bridge
        can't take one now."""
        feed = self.feed
        if feed.several:
            bridge = (feed.feeds.get(target) or feed.first).bridge(bridge_id)
        else:
            bridge = feed.bridge(bridge_id)
        why_not = why_cant_add(bridge) if bridge is not None else None
        if bridge is not None and why_not:
            self.app.notify(
                shown(why_not),
                title=f"Can't add {an_account_of(shown(bridge.display_name, 40))} now",
                severity="warning",
                markup=False,
            )
            return
        self.wizards.add(self.app, bridge_id, target_named(self.app.targets, target))

    def bridges_to_add_to(self, target: str | None) -> Sequence[Bridge]:
        """The bridges ``a`` and the palette offer: ``target``'s (the selected account's)."""
        return self.feed.bridges_of(target) if self.feed.several else self.feed.bridges

    def pick_bridge(
        self,
        target: str | None,
        narrowed_to: str | None,
        add: Callable[[str, str | None], None],
    ) -> None:
        """``a`` on the list: ``add(bridge_id, target)`` to the bridge the list is narrowed
        to (``narrowed_to``, its key), else to the network picked from ``target``'s."""
        bridges = self.bridges_to_add_to(target)
        if not bridges:
            self.app.notify("No bridges known yet: wait for the list to load.", severity="warning")
            return
        if narrowed_to is not None:
            on, bridge_id = split_key(narrowed_to) if self.feed.several else (None, narrowed_to)
            add(bridge_id, on)
            return

        def picked(bridge_id: str | None) -> None:
            if bridge_id:
                add(bridge_id, target)

        from beeper_tui.tui.accounts.pickers import BridgePickerDialog

        self.app.push_screen(BridgePickerDialog(bridges), picked)

    def copy_id(self, account_id: str) -> None:
        """The account ID onto the clipboard (an ID no clipboard can carry, such as one
        holding a lone surrogate, is refused with a word, not a traceback)."""
        account_id = split_key(account_id)[1] if self.feed.several else account_id
        try:
            account_id.encode("utf-8")
        except UnicodeEncodeError:
            self.app.notify(
                f"Account ID {shown(account_id)} holds a character no clipboard can carry.",
                title="Not copied",
                severity="warning",
                markup=False,
            )
            return
        self.app.copy_to_clipboard(account_id)
        self.app.notify(f"Copied account ID {clean(account_id)}", title="Copied", markup=False)

    def removable(self, account_id: str) -> AccountRow | None:
        """The account, when its login can be removed here; else None, and why, said."""
        row = self.feed.row(account_id)
        if row is None:
            self.app.notify("That account is no longer listed.", severity="warning")
        elif not row.login_id:
            self.app.notify("This account has no login ID, so it can't be removed here.")
        else:
            return row
        return None

    async def remove(self, row: AccountRow) -> bool:
        """Confirm and remove ``row``'s login; True when it was removed (call from a
        worker: it waits on the dialog)."""
        from beeper_tui.tui.accounts.remove_login import remove_login

        return await remove_login(
            self.target_of(row).client,
            row,
            [listed for listed in self.feed.rows if listed.target == row.target],
            confirm=self.app.push_screen_wait,
            notify=self.app.notify,
            remember_logins=lambda bridge_id, logins: self.remember_logins(
                row_key(row.target, bridge_id), logins
            ),
        )

    async def reconnect_all(self) -> bool:
        """Every account that needs attention, one wizard after another, then a summary;
        False when none needed it (call from a worker: it waits on screens)."""
        from beeper_tui.tui.accounts.reconnect_all import ReconnectAllSummaryDialog

        broken = [row for row in self.feed.rows if row.health is Health.ATTENTION]
        if not broken:
            self.app.notify("No account needs attention.", title="Reconnect all")
            return False
        result = await self.wizards.reconnect_each(self.app, broken)
        await self.app.push_screen_wait(ReconnectAllSummaryDialog(result))
        return True
