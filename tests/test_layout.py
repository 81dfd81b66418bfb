"""The package's stages import only downward: ingest < tables < analysis < report <
publish, with cli (and the analyst API) on top; only the CLI reaches into publish."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "helpers"
# a stage may import the stages before it, and the shared modules; never one after it
ORDER = ["ingest", "tables", "analysis", "report", "publish"]
SHARED = {"config", "errors", "atomic", "parallel", "params", "salvage", "stopping"}
ENTRY_POINTS = {"cli", "api", "__main__"}


def _stage(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else module


def _imports(path: Path) -> set[str]:
    """Every helpers.* module ``path`` imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("helpers"):
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names if node.module == "helpers"}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("helpers")}
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_go_only_downward(path):
    rel = path.relative_to(PACKAGE)
    own = rel.parts[0].removesuffix(".py")
    for module in _imports(path):
        target = _stage(module)
        if target in ("helpers", own) or target in SHARED:
            continue
        if own in ENTRY_POINTS:
            if target in ENTRY_POINTS:
                continue
            assert target != "publish" or own == "cli" or own == "__main__", f"{rel} imports {module}: only the CLI imports publish"
            continue
        if own in SHARED:
            # the date's parameters know the provinces (ingest) and the dates with data (tables)
            assert own == "params" and target in ("ingest", "tables"), f"{rel} (shared) imports {module}"
            continue
        assert target not in ENTRY_POINTS, f"{rel} imports the entry point {module}"
        assert own in ORDER and target in ORDER, (rel, module)
        assert ORDER.index(target) < ORDER.index(own), f"{rel} imports {module}, a later stage"
