"""The layout's promises (docs/architecture.md), checked on the source itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    p for folder in ("obc_calc", "ui", "app_pages") for p in (ROOT / folder).rglob("*.py")
) + [ROOT / "app.py"]
MAX_MODULE_LINES = 350
MAX_FUNCTION_LINES = 50


def _runtime_nodes(tree: ast.AST):
    """Every node but those under `if TYPE_CHECKING:`, which only type checkers read."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            continue
        yield node
        yield from _runtime_nodes(node)


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from package import module` names the module too
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_short(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name} has {lines} lines"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_functions_are_short(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{path.name}: {', '.join(long)}"


def _package(path: Path) -> str:
    return module_name(path).split(".")[1] if module_name(path).startswith("obc_calc.") else ""


@pytest.mark.parametrize("path", sorted((ROOT / "obc_calc").rglob("*.py")), ids=lambda p: p.name)
def test_dependencies_point_one_way(path):
    """core imports none of io, cli and store; io imports neither cli nor store; store never imports cli;
    nothing in obc_calc imports streamlit."""
    used = imports(path)
    assert not any(name.split(".")[0] == "streamlit" for name in used)
    package = _package(path)
    if package == "core":
        outer = ("obc_calc.io", "obc_calc.cli", "obc_calc.store")
        assert not any(name.startswith(outer) for name in used), used
    if package == "io":
        assert not any(name.startswith(("obc_calc.cli", "obc_calc.store")) for name in used), used
    if package == "store":
        assert not any(name.startswith("obc_calc.cli") for name in used), used


COMMANDS = sorted(p for p in (ROOT / "obc_calc" / "cli").glob("*.py") if p.name != "__init__.py")


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: p.name)
def test_commands_do_not_import_each_other(path):
    own = module_name(path)
    commands = {module_name(p) for p in (ROOT / "obc_calc" / "cli").glob("*.py")}
    others = commands - {own, "obc_calc.cli.__init__"}
    assert not (imports(path) & others)
