"""The structure the architecture promises, checked on the source: no import cycles (imports inside
functions and under TYPE_CHECKING count too), connectors below agent, entry points on top, one module
that imports the anthropic SDK, and no `sys.path` edits in shipped code."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("agent", "connectors", "evals", "training")
ENTRY_POINTS = ("agent.cli", "agent.mcp", "agent.__main__")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def imported(path: Path, known: set[str]) -> Iterator[str]:
    """Every project module `path` imports, wherever the import statement stands."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                yield name


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: {m for m in imported(path, known) if m != name} for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return out


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    assert cycles(graph()) == []


def test_connectors_import_nothing_from_agent_or_evals() -> None:
    bad = {
        m: sorted(d for d in deps if d.split(".")[0] in ("agent", "evals", "training")) for m, deps in graph().items()
    }
    assert {m: d for m, d in bad.items() if m.startswith("connectors") and d} == {}


def test_only_entry_points_import_the_cli_or_the_evals() -> None:
    def is_entry(module: str) -> bool:
        return any(module == e or module.startswith(e + ".") for e in ENTRY_POINTS)

    upward = {
        m: sorted(d for d in deps if is_entry(d) or d.split(".")[0] in ("evals", "training"))
        for m, deps in graph().items()
        if m.startswith("agent") and not is_entry(m)
    }
    assert {m: d for m, d in upward.items() if d} == {}


def test_exactly_one_module_imports_the_anthropic_sdk() -> None:
    importers = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Import) and any(a.name.split(".")[0] == "anthropic" for a in node.names)) or (
                isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "anthropic"
            ):
                importers.append(name)
    assert sorted(set(importers)) == ["agent.models.anthropic"]


def test_no_sys_path_edits_in_shipped_code() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for package in (*PACKAGES, "benchmarks")
        for p in (ROOT / package).rglob("*.py")
        if "sys.path" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
