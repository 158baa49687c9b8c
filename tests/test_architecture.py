"""Imports point down only: dashboard -> processing -> layers -> processing.kernels.

Every ``.py`` file of the packages is parsed with ``ast``; imports inside functions count,
imports under ``if TYPE_CHECKING:`` do not (they never run).
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("landwater", "layers", "processing", "dashboard")
KERNELS = "processing.kernels"


def _module_files() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


MODULES = _module_files()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_names(module: str, path: Path) -> list[str]:
    """Every name a module imports at run time (module level and inside functions)."""
    is_package = path.name == "__init__.py"
    names: list[str] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.orelse:
                    visit_node(stmt)
                continue
            visit_node(child)

    def visit_node(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            names.append(source)
            names.extend(f"{source}.{alias.name}" for alias in node.names)
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for stmt in node.orelse:
                visit_node(stmt)
            return
        visit(node)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return names


def _project_module(name: str) -> str | None:
    """The project module an imported name belongs to (a module or a name inside one)."""
    if name.split(".")[0] not in PACKAGES:
        return None
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


@functools.cache
def _graph() -> dict[str, set[str]]:
    """Each project module's project imports (parsed when a test first asks, not when the
    module is collected: every test worker collects it, one runs it)."""
    graph = {}
    for module, path in MODULES.items():
        targets = {_project_module(n) for n in _imported_names(module, path)}
        graph[module] = {t for t in targets if t is not None and t != module}
    return graph


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _edges(source: str) -> list[tuple[str, str]]:
    graph = _graph()
    return [(m, t) for m in sorted(graph) if _in(m, source) for t in sorted(graph[m])]


def test_the_packages_are_parsed() -> None:
    assert "processing.kernels.water_balance" in MODULES
    assert "layers.build.demo.generate" in MODULES
    assert "processing.kernels.hydrology" in _graph()["layers.build.demo.terrain"]
    # a function-local import counts
    assert "processing.kernels.suitability" in _graph()["layers.validate"]


def test_kernels_import_nothing_else_of_the_project() -> None:
    bad = [(m, t) for m, t in _edges(KERNELS) if not _in(t, KERNELS)]
    assert not bad, f"kernels importing the project: {bad}"


def test_layers_import_only_the_kernels_of_processing() -> None:
    bad = [
        (m, t)
        for m, t in _edges("layers")
        if _in(t, "dashboard")
        or _in(t, "landwater")
        or (_in(t, "processing") and not _in(t, KERNELS))
    ]
    assert not bad, f"layers importing above itself: {bad}"


def test_processing_imports_nothing_of_the_dashboard_or_the_cli() -> None:
    bad = [(m, t) for m, t in _edges("processing") if _in(t, "dashboard") or _in(t, "landwater")]
    assert not bad, f"processing importing above itself: {bad}"


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def _describe(component: frozenset[str]) -> str:
    return "; ".join(f"{m} -> {sorted(_graph()[m] & component)}" for m in sorted(component))


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [frozenset({"a", "b", "c"})]


def test_no_import_cycle() -> None:
    cycles = _cycles(_graph())
    assert not cycles, "import cycles: " + " | ".join(_describe(c) for c in cycles)
