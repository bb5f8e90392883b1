"""``python -m beeper_tui.sim``: the same as ``beeper-tui sim``."""

import sys

from beeper_tui.cli import main

raise SystemExit(main(["sim", *sys.argv[1:]]))
