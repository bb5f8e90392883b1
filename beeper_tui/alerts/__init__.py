"""Being told the moment an account breaks: which changes deserve a word (``breakage``), how a
person is told (``desktop``: the platform's notifications, else the terminal's), and a command
run per change (``exec_hook``). Headless: no textual import.
"""
