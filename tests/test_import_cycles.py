"""No import cycle among the package's modules.

A module's imports are those run when it is imported: every ``import``/``from … import`` at
module level, in a class body, or under ``if TYPE_CHECKING:`` (a cycle there still ties the
modules together for the reader and the type checker). Imports inside functions run later,
on a call, and break no start-up order, so they don't count.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import beeper_tui

PACKAGE = Path(beeper_tui.__file__).parent


def module_name(path: Path) -> str:
    """``beeper_tui/tui/app.py`` → ``beeper_tui.tui.app``; a package is its ``__init__``."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def eager_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement outside a function body (those run when imported)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child
            stack.append(child)


def imported_modules(name: str, is_package: bool, tree: ast.AST, known: set[str]) -> set[str]:
    """The package's own modules that module ``name`` imports eagerly."""
    found: set[str] = set()
    for node in eager_imports(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            # ``from pkg import mod`` imports the module pkg.mod; ``from mod import thing`` mod
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                       for a in node.names]  # fmt: skip
        found.update(t for t in targets if t in known and t != name)
    return found


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(files)
    return {
        name: imported_modules(name, path.name == "__init__.py", ast.parse(path.read_text()), known)
        for name, path in files.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle (``[a, b, …, a]``), or None: a depth-first search for an edge back into the
    path being walked."""
    finished: set[str] = set()
    for start in sorted(graph):
        if start in finished:
            continue
        path = [start]
        branches = [iter(sorted(graph[start]))]
        while branches:
            target = next(branches[-1], None)
            if target is None:
                branches.pop()
                finished.add(path.pop())
            elif target in path:
                return [*path[path.index(target) :], target]
            elif target not in finished:
                path.append(target)
                branches.append(iter(sorted(graph[target])))
    return None


def knots(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of modules that import each other, directly or round a cycle (strongly
    connected components of more than one module, Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        for target in sorted(graph[name]):
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            group: set[str] = set()
            member = ""
            while member != name:
                member = stack.pop()
                group.add(member)
            if len(group) > 1:
                found.append(group)

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return found


def cycle_in(graph: dict[str, set[str]], knot: set[str]) -> list[str]:
    """One cycle through the modules of ``knot``, to print."""
    inside = {name: graph[name] & knot for name in knot}
    return find_cycle(inside) or sorted(knot)


def test_the_walker_finds_a_cycle_and_reads_imports_as_python_does() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"b"}}) is None
    graph = {"a": {"b"}, "b": {"a", "c"}, "c": {"d"}, "d": {"c"}, "e": {"a"}}
    assert sorted(map(sorted, knots(graph))) == [["a", "b"], ["c", "d"]]
    known = {"p", "p.q", "p.r"}
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "from . import q\n"
        "if TYPE_CHECKING:\n    from p.r import Thing\n"
        "def later():\n    import p\n"
    )
    assert imported_modules("p.x", False, tree, known | {"p.x"}) == {"p.q", "p.r"}


def test_no_import_cycle_among_the_packages_modules() -> None:
    graph = import_graph()
    assert len(graph) > 40, "the walker found the package's modules"
    found = knots(graph)
    assert not found, "import cycles:\n" + "\n".join(" → ".join(cycle_in(graph, k)) for k in found)
