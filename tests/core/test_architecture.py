"""The structure of docs/architecture.md, held against the code.

The layer order itself is the import-linter contract in pyproject.toml (`lint-imports` runs in
`make test`); these tests add what a contract does not say: no import circles between modules,
including those held open only by imports inside functions.
"""

from __future__ import annotations

import grimp

PACKAGE = "masterplan"


def import_graph() -> dict[str, set[str]]:
    """Module → the modules it imports anywhere in its code (functions included); imports
    made only for type checkers are left out, since they never run."""
    graph = grimp.build_graph(PACKAGE, exclude_type_checking_imports=True)
    return {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.get(module, ()):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_circles_are_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert circles(graph) == [["a", "b", "c"]]


def test_no_module_imports_itself_round_a_circle() -> None:
    assert circles(import_graph()) == []
