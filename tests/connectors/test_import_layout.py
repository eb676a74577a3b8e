"""The connectors' import graph, read from the source with `ast`: no cycle inside `connectors/`
(module-level, inside functions and under TYPE_CHECKING alike), nothing from `agent` or `evals`,
the REST adapters and the MCP side apart, and an offline demo run that loads no HTTP client."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import connectors

ROOT = Path(connectors.__file__).parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(module: str, path: Path) -> set[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets = set()
        for name in _imports(module, path):
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
                parts = name.split(".")  # importing a.b.c runs a/__init__ and a/b/__init__ too
                targets.update(
                    ".".join(parts[:i]) for i in range(1, len(parts)) if not module.startswith(".".join(parts[:i]))
                )
        graph[module] = targets - {module}
    return graph


def test_no_import_cycle_inside_connectors() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, trail: list[str]) -> bool:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle.extend([*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt])
                return True
            if nxt not in state and visit(nxt, [*trail, nxt]):
                return True
        state[node] = 2
        return False

    assert not any(visit(m, [m]) for m in sorted(graph) if m not in state), " -> ".join(cycle)


def test_connectors_import_nothing_from_agent_or_evals() -> None:
    bad = {(m, n) for m, p in _modules().items() for n in _imports(m, p) if n.split(".")[0] in ("agent", "evals")}
    assert bad == set()


def test_rest_adapters_and_mcp_side_do_not_import_each_other() -> None:
    graph = _graph()
    http = {m for m in graph if m.startswith("connectors.http")}
    mcp = {m for m in graph if m.startswith("connectors.mcp")}
    assert not [(m, t) for m in http for t in graph[m] if t in mcp]
    assert not [(m, t) for m in mcp for t in graph[m] if t in http]
    assert not [(m, t) for m in graph if m.startswith("connectors.vendors") for t in graph[m] if t in http | mcp]


def test_opening_the_demo_loads_neither_httpx2_nor_the_mcp_sdk() -> None:
    code = (
        "import sys; from connectors.resolve import open_workspace; open_workspace('demo').close(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('httpx2', 'mcp')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT.parent)
    assert out.stdout.strip() == "[]"
