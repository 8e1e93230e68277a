"""The roster as a workbook and a CSV file (reports.formats.roster): text that a spreadsheet
could run as a formula stays text, control characters are dropped."""

from __future__ import annotations

import io

import openpyxl
import pytest

from members.disclosure import Disclosure
from members.models import Member
from reports.datasets.roster import Column, Roster, build_roster
from reports.formats.roster import roster_csv, roster_xlsx
from tests.reports.conftest import TRIGGERS


def test_tabs_returns_and_nul_are_quoted_and_control_characters_dropped(tmp_path):
    values = ["\t=1+2", "\r=cmd", "\x00=1+1", "x\x01y", "An"]
    heads = (Column("id", "ID", "int", 8), Column("full_name", "Name", "text", 20))
    rows = iter([(i, v) for i, v in enumerate(values, 1)])
    roster = Roster(heads, rows, "en", Disclosure.SUMMARY)
    path = tmp_path / "r.xlsx"
    assert roster_xlsx(roster, language="en", out=str(path)) == 5
    cells = [row[1] for row in openpyxl.load_workbook(path).active.iter_rows(min_row=2)]
    # XML keeps no bare CR: XlsxWriter writes it as Excel's escape _x000D_, which Excel reads
    # back as CR (openpyxl leaves it as it is).
    assert [c.value for c in cells] == ["\t=1+2", "_x000D_=cmd", "=1+1", "xy", "An"]
    assert [c.quotePrefix for c in cells] == [True, True, True, False, False]
    assert {c.data_type for c in cells} == {"s"}


@pytest.mark.django_db
def test_csv_cells_that_look_like_formulas_get_a_leading_quote(people):
    out = io.StringIO(newline="")
    queryset = Member.objects.filter(pk__in=[m.pk for m in people["odd"]])
    rows = roster_csv(build_roster(queryset, language="en", sight=Disclosure.FULL), out=out)
    assert rows == 4
    text = out.getvalue()
    for name in TRIGGERS:
        assert f"'{name}".replace('"', '""') in text
    assert "\n=" not in text and ",=" not in text and ",@" not in text and ",+" not in text
