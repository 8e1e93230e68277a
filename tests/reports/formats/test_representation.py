"""Women's representation as a PDF and a workbook (reports.formats.representation): the same
shares in both, in Vietnamese and in English, the chart drawn (not printed as markup), shares
and percentage targets as fractions with a percentage format."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from reports.datasets.representation import representation
from reports.formats.representation import representation_pdf, representation_workbook
from tests.reports.conftest import SHARE, WOMEN_TARGET, flat, pdf_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_representation_pdf_and_workbook_show_the_same_shares(
    seed_congress, language, tmp_path
):
    found = representation(seed_congress)
    text = flat(pdf_text(representation_pdf(found, language=language), tmp_path))
    assert f"185 91 {SHARE[language]}" in text
    assert "2017–2022" in text and WOMEN_TARGET in text
    for unit in found.sub_units:
        assert f"{unit.name} {unit.members.total} {unit.members.women}" in text
    with translation.override(language):
        assert gettext("Share of women") in text  # the chart's title
    assert "<svg" not in text
    book = load_workbook(io.BytesIO(representation_workbook(found, language=language)))
    summary, units = book.worksheets
    groups = {row[0]: row[1:4] for row in summary.iter_rows(values_only=True) if row[0]}
    with translation.override(language):
        assert groups[gettext("Members on the congress day")] == (185, 91, pytest.approx(0.492))
        elected = groups[gettext("Elected (each person once)")]
    assert elected[:2] == (found.elected.total, found.elected.women)
    target = next(row for row in summary.iter_rows() if row[0].value == WOMEN_TARGET)
    assert target[1].value == pytest.approx(0.5) and "%" in target[1].number_format
    assert units.freeze_panes == "A2" and units.auto_filter.ref == f"A1:K{len(found.sub_units) + 1}"
    first = next(units.iter_rows(min_row=2, max_row=2))
    assert first[4].data_type == "n" and first[4].number_format == "0.0%"
