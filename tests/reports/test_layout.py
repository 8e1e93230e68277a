"""The layout of reports/ keeps its rule (docs/architecture.md, "Reports"): a dataset imports
no format and no formatting machinery; a format imports, of reports, its own dataset and the
shared machinery (pdf, excel, charts) only. Module lengths and private names are held for the
whole project by tests/test_layout.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.layout import imports, name_of

REPORTS = Path(__file__).resolve().parents[2] / "reports"
SHARED = {"reports.pdf", "reports.excel", "reports.charts"}
MODULES = sorted(p for p in REPORTS.rglob("*.py") if "migrations" not in p.parts)


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
