"""beeper-tui: a keyboard-driven terminal account manager for Beeper Desktop."""

__version__ = "0.1.0"
