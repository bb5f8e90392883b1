"""The first screen and signing in: what beeper-tui shows until the accounts can be listed.

``gate.DesktopGate`` (owned by the app) asks Beeper Desktop once at start-up
(``first_check.py``) and opens the screen that gives the way forward: the accounts, Beeper
Desktop not reachable (``not_reachable.py``), Beeper Desktop itself not signed in or still
setting up (``desktop_setup.py``), or the sign-in (``sign_in.py``). Later, a token that stops
working brings the sign-in back over whatever is shown, and the refused request goes on with
the new token.
"""
