"""The account manager: the home screen, its list, detail pane and bridges view, and the
actions on accounts (reconnect, reconnect all, add, remove)."""
