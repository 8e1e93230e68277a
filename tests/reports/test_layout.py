"""The layout of reports/ keeps its rule (docs/architecture.md, "Reports"): a dataset imports
no format and no formatting machinery; a format imports, of reports, its own dataset and the
shared machinery (pdf, excel, charts) only; no module is longer than 400 lines; no private
name is imported from another module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPORTS = Path(__file__).resolve().parents[2] / "reports"
SHARED = {"reports.pdf", "reports.excel", "reports.charts"}
MODULES = sorted(p for p in REPORTS.rglob("*.py") if "migrations" not in p.parts)


def name_of(path: Path) -> str:
    parts = path.relative_to(REPORTS.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every import of the file, relative ones made absolute."""
    package = name_of(path) if path.name == "__init__.py" else name_of(path).rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((module, [alias.name for alias in node.names]))
    return found


def reports_imports(path: Path) -> set[str]:
    """The modules of reports that the file imports (`from reports.x import y` counts as
    reports.x.y when y is a module of reports, as reports.x otherwise)."""
    known = {name_of(p) for p in MODULES}
    found = set()
    for module, names in imports(path):
        if module.split(".")[0] != "reports":
            continue
        as_modules = {f"{module}.{name}" for name in names} & known
        found |= as_modules or {module}
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: name_of(p))
def test_no_module_is_longer_than_400_lines(path):
    assert len(path.read_text().splitlines()) <= 400


@pytest.mark.parametrize("path", MODULES, ids=lambda p: name_of(p))
def test_no_private_name_is_imported_from_another_module(path):
    private = [
        (module, name)
        for module, names in imports(path)
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert private == []


@pytest.mark.parametrize("path", sorted((REPORTS / "datasets").glob("*.py")), ids=name_of)
def test_a_dataset_imports_no_format(path):
    formatting = {
        module
        for module in reports_imports(path)
        if module.startswith(("reports.formats", "reports.views")) or module in SHARED
    }
    assert formatting == set()


@pytest.mark.parametrize("path", sorted((REPORTS / "formats").glob("*.py")), ids=name_of)
def test_a_format_imports_its_dataset_and_the_shared_machinery_only(path):
    allowed = SHARED | {f"reports.datasets.{path.stem}"}
    assert reports_imports(path) - allowed == set()


def test_every_format_has_its_dataset():
    formats = {p.stem for p in (REPORTS / "formats").glob("*.py")} - {"__init__"}
    datasets = {p.stem for p in (REPORTS / "datasets").glob("*.py")} - {"__init__"}
    assert formats == datasets
