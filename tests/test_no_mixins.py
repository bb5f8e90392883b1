"""No mixin in ``tui/``: every screen and widget of the package is built from Textual's classes
and its own widgets only. A role a screen needs is a collaborator it owns (an ``AccountActions``,
a ``LoginSessionDriver``), not a class mixed into its bases that shares its private state."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.dom import DOMNode

import beeper_tui.tui


def package_classes() -> list[type]:
    """Every class defined in a module of ``beeper_tui.tui`` (each module imported)."""
    found: list[type] = []
    for module_info in pkgutil.walk_packages(beeper_tui.tui.__path__, "beeper_tui.tui."):
        module = importlib.import_module(module_info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if value.__module__ == module.__name__:
                found.append(value)
    return found


def mixed_in(widgets: list[type]) -> list[str]:
    """Each class of the package that a screen or widget has among its bases without it
    being a widget itself: a mixin."""
    return sorted(
        f"{cls.__qualname__} ({cls.__module__}) mixes in {base.__qualname__}"
        for cls in widgets
        if issubclass(cls, DOMNode)
        for base in cls.__mro__[1:]
        if base.__module__.startswith("beeper_tui.") and not issubclass(base, DOMNode)
    )


def test_no_screen_or_widget_mixes_in_a_class_of_its_own_that_is_not_a_widget() -> None:
    classes = package_classes()
    assert sum(issubclass(cls, DOMNode) for cls in classes) > 30, "it found the widgets"
    assert mixed_in(classes) == []


def test_a_screen_with_a_mixin_is_caught() -> None:
    from textual.screen import Screen

    class AccountsScreenPart:  # what the accounts screen was once assembled from
        _sending: bool = False

    AccountsScreenPart.__module__ = "beeper_tui.tui.accounts.example"

    class Mixed(AccountsScreenPart, Screen[None]):
        pass

    assert mixed_in([Mixed]) == [
        f"{Mixed.__qualname__} ({__name__}) mixes in {AccountsScreenPart.__qualname__}"
    ]
