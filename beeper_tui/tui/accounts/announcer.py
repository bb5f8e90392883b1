"""``Announcer``: how the accounts screen tells the person what happened — a notification per
:class:`~beeper_tui.tui.accounts.notices.Notice`, and when accounts break, the terminal bell
(``--bell``) and a desktop notification (``--notify``).

What to say is worked out headlessly in ``notices.py``; this only delivers it. Notifications
are shown as typed (never markup: the words hold server text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beeper_tui.tui.accounts.feed import FeedUpdate
from beeper_tui.tui.accounts.notices import Notice, breakage_notices

if TYPE_CHECKING:
    from beeper_tui.alerts.account_alerts import AccountAlerts
    from beeper_tui.tui.app import BeeperApp


class Announcer:
    """Says what happened on the accounts screen, through the app's notifications."""

    def __init__(self, app: BeeperApp) -> None:
        self.app = app
        self._alerts: dict[str | None, AccountAlerts] = {}
        """With several targets and ``--notify``: each target's own account tracking."""

    def say(self, notice: Notice) -> None:
        """One notification, its words shown as typed."""
        self.app.notify(notice.message, title=notice.title, severity=notice.severity, markup=False)

    def refreshed(self, update: FeedUpdate, target: str | None, several: bool) -> None:
        """A refresh (of ``target``, with ``several`` Beeper Desktops) worked: name the
        accounts that broke, ring the bell for them, and update the desktop's
        notifications."""
        notices = breakage_notices(update.broken)
        for notice in notices:
            self.say(notice)
        if notices and self.app.bell_on_breakage:
            self.app.bell()
        alerts = self.app.account_alerts
        if alerts is not None and several:  # each target's accounts tracked on their own
            from beeper_tui.alerts.account_alerts import AccountAlerts  # loaded by --notify

            alerts = self._alerts.setdefault(target, AccountAlerts(alerts.notifier))
        if alerts is not None:  # --notify: the desktop's notifications
            alerts.update(update.bridges)
