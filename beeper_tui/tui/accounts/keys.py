"""The accounts screen's keys: what each one does, in the words the footer, the tooltips and
``?`` show, and which of them the bridges view turns off (they act on the accounts list).

The screen binds these (``AccountsScreen.BINDINGS``) and asks :func:`key_enabled` which are
on; the actions themselves are the screen's ``action_*`` methods.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

ACCOUNTS_KEYS: list[BindingType] = [
    Binding("r", "reconnect", "Reconnect", tooltip="Reconnect the selected account"),
    Binding(
        "R",
        "reconnect_all",
        "Reconnect all",
        tooltip="Reconnect every account that needs attention, one after another",
    ),
    Binding("a", "add", "Add", tooltip="Add an account (pick a network first)"),
    Binding("d", "remove", "Remove", tooltip="Remove the selected account's login"),
    # A priority key: the box opens and takes focus before the keys typed right after "/" are
    # handed on (fast, pasted, or arriving at once over SSH), so none of them reaches the list
    # (where "a" would open the add picker). In the box itself "/" is just a character.
    Binding(
        "slash",
        "filter",
        "Filter",
        key_display="/",
        tooltip="Filter by any text: name, network, status, ID",
        priority=True,
    ),
    Binding("g", "refresh", "Refresh", tooltip="Ask Beeper Desktop for news now"),
    Binding("c", "copy_id", "Copy ID", show=False, tooltip="Copy the account ID"),
    Binding("b", "show_view('bridges-view')", "Bridges", tooltip="Show the bridges"),
    Binding("b", "show_view('accounts-view')", "Accounts", tooltip="Back to the accounts"),
    Binding("i", "toggle_details", "Details", show=False, tooltip="Show or hide details"),
    Binding("escape", "clear_filter", "Clear filter", show=False),
    Binding("q", "app.quit", "Quit", tooltip="Quit beeper-tui"),
]

#: Keys that act on the accounts list, hidden while the bridges view is up.
LIST_ACTIONS = frozenset(
    {"reconnect", "reconnect_all", "remove", "copy_id", "filter", "toggle_details"}
)


def key_enabled(action: str, parameters: tuple[object, ...], *, on_bridges_view: bool) -> bool:
    """Whether a key is on: ``b`` offers the view that is not showing, and the bridges view
    turns off the keys of the accounts list."""
    if action == "show_view":
        current = "bridges-view" if on_bridges_view else "accounts-view"
        return parameters[0] != current
    return not (action in LIST_ACTIONS and on_bridges_view)
