"""The layout shows the architecture: layers import downwards only, and no module imports itself back.

Reads the `import` statements of assistant/ and tools/ with `ast` (imports inside functions included: a lazy import
is still a dependency), so the check needs no third-party tool.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Lowest first. A module may import its own layer or any lower one.
LAYERS = {
    "assistant.config": 0, "assistant.errors": 0, "assistant.numerals": 0, "assistant.numbercheck": 0,
    "assistant.ingest": 1,
    "assistant.retrieval": 2, "assistant.records": 2, "assistant.office": 2,
    "tools": 3, "assistant.doctor": 3,
    "assistant.drafting": 4,
    "assistant.answering": 5,
    "assistant.ui": 6, "assistant.cli": 6, "assistant.__main__": 6, "assistant": 6,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    files = list((ROOT / "assistant").rglob("*.py")) + list((ROOT / "tools").rglob("*.py"))
    return {_module_name(p): p for p in files}


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(path, name, known) for name, path in modules.items()}


def _layer(module: str) -> int:
    best = max((k for k in LAYERS if module == k or module.startswith(k + ".")), key=len)
    return LAYERS[best]


def test_every_module_has_a_layer():
    assert all(_layer(m) is not None for m in _modules())


def test_imports_only_point_down_the_layers():
    wrong = [f"{m} → {d}" for m, deps in _graph().items() for d in deps
             if _layer(d) > _layer(m) and not m.endswith("__init__") and m not in {"assistant"}]
    assert wrong == []


def test_tools_never_import_answering_drafting_ui_or_cli():
    graph = _graph()
    upward = ("assistant.answering", "assistant.drafting", "assistant.ui", "assistant.cli", "assistant.retrieval",
              "assistant.ingest")
    wrong = [f"{m} → {d}" for m, deps in graph.items() if m.startswith("tools") for d in deps if d.startswith(upward)]
    assert wrong == []


def test_no_import_cycles():
    graph = _graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if dep.startswith(node + "."):
                continue  # a package's __init__ re-exporting its own modules is not a loop
            if state.get(dep) == 1:
                cycles.append(stack[stack.index(dep):] + [dep])
            elif dep not in state:
                visit(dep, stack + [dep])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []
