"""`manage.py export_report KIND --branch CODE [--term LABEL] [--as-of] --format pdf|xlsx
--output PATH [--lang]` (reports/management/commands/export_report.py): every kind in both
formats (the dossier PDF only), and clear refusals for what does not exist or is not
offered."""

import subprocess
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from congresses.models import Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(_seed_for_module, db):
    """The seed case's term, from the demo loaded once for this module (tests/conftest.py)."""
    return Term.objects.get(branch__code="hp-skhcn", label="2017–2022")


def export(*args):
    out = StringIO()
    call_command("export_report", *args, stdout=out)
    return out.getvalue()


def pdf_file_text(path):
    command = ["pdftotext", "-layout", str(path), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603


def cells(path):
    book = openpyxl.load_workbook(path, read_only=True)
    return [
        c
        for sheet in book
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if c is not None
    ]


@pytest.mark.parametrize("label", ["2017-2022", "2017–2022"])
def test_the_term_summary_of_the_seed_case_in_both_formats(seed, tmp_path, label):
    pdf = tmp_path / "summary.pdf"
    assert "Wrote" in export(
        "term-summary",
        "--branch",
        "hp-skhcn",
        "--term",
        label,
        "--as-of",
        "2022-11-01",
        "--format",
        "pdf",
        "--output",
        str(pdf),
    )
    text = pdf_file_text(pdf)
    assert "185" in text and "91" in text and "49,2 %" in text
    xlsx = tmp_path / "summary.xlsx"
    export(
        "term-summary",
        "--branch",
        "hp-skhcn",
        "--term",
        label,
        "--format",
        "xlsx",
        "--output",
        str(xlsx),
        "--lang",
        "en",
    )
    values = cells(xlsx)
    assert 185 in values and 91 in values


@pytest.mark.parametrize(
    ("kind", "fmt"),
    [
        ("statistics", "pdf"),
        ("statistics", "xlsx"),
        ("representation", "pdf"),
        ("representation", "xlsx"),
        ("dossier", "pdf"),
        ("roster", "xlsx"),
        ("roster", "pdf"),
    ],
)
def test_every_kind_writes_its_file(seed, tmp_path, kind, fmt):
    path = tmp_path / f"out.{fmt}"
    export(
        kind,
        "--branch",
        "hp-skhcn",
        "--term",
        "2017-2022",
        "--as-of",
        "2017-12-23",
        "--format",
        fmt,
        "--output",
        str(path),
    )
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") if fmt == "pdf" else data.startswith(b"PK")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["term-summary", "--branch", "nowhere"], "No branch has the code 'nowhere'"),
        (["term-summary", "--branch", "hp-skhcn", "--term", "1999-2004"], "has no term"),
        (["dossier", "--branch", "hp-skhcn", "--format", "xlsx"], "PDF only"),
        (["representation", "--branch", "hp-skhcn-vp"], "has no term"),
    ],
)
def test_what_does_not_exist_or_is_not_offered_is_refused(seed, tmp_path, args, message):
    base = {"--format": "pdf", "--output": str(tmp_path / "x.pdf")}
    given = list(args)
    for flag, value in base.items():
        if flag not in given:
            given += [flag, value]
    with pytest.raises(CommandError, match=message):
        export(*given)
    assert not (tmp_path / "x.pdf").exists()


def test_an_unknown_kind_or_format_is_refused_by_the_parser(seed, tmp_path):
    with pytest.raises(CommandError, match="invalid choice"):
        export("minutes", "--branch", "hp-skhcn", "--format", "pdf", "--output", "x.pdf")
    with pytest.raises(CommandError, match="invalid choice"):
        export("statistics", "--branch", "hp-skhcn", "--format", "docx", "--output", "x.docx")


def test_the_roster_lists_every_member_of_the_subtree(seed, tmp_path):
    path = tmp_path / "roster.xlsx"
    export(
        "roster", "--branch", "hp-skhcn", "--format", "xlsx", "--output", str(path), "--lang", "en"
    )
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("Member ID", "Full name", "Gender")
    from members.models import Member

    listed = Member.objects.filter(branch__path__startswith=_path("hp-skhcn")).count()
    assert len(rows) - 1 == listed > 0
    assert not list(tmp_path.glob("*.part"))


def test_a_roster_pdf_past_its_limit_is_refused_with_the_way_out(seed, tmp_path, settings):
    settings.UNIONREC_ROSTER_PDF_MAX_ROWS = 10
    path = tmp_path / "roster.pdf"
    with pytest.raises(CommandError, match=r"more than 10 members.*--format xlsx"):
        export("roster", "--branch", "hp-skhcn", "--format", "pdf", "--output", str(path))
    assert not path.exists()


def _path(code):
    from members.models import Branch

    return Branch.objects.get(code=code).path


def test_a_term_given_to_any_kind_must_exist_and_a_day_must_be_a_day(seed, tmp_path):
    path = tmp_path / "x.xlsx"
    with pytest.raises(CommandError, match="has no term '2031-2036'"):
        export(
            "statistics",
            "--branch",
            "hp-skhcn",
            "--term",
            "2031-2036",
            "--format",
            "xlsx",
            "--output",
            str(path),
        )
    with pytest.raises(CommandError, match="'23/12/2017' is not a day: write it as YYYY-MM-DD"):
        export(
            "statistics",
            "--branch",
            "hp-skhcn",
            "--as-of",
            "23/12/2017",
            "--format",
            "xlsx",
            "--output",
            str(path),
        )
    assert not path.exists()
