"""Member lists as a secretary fills in the import template (members.import_template): its
Vietnamese headers, typed as a person would, and a workbook of rows under them. Shared by the
import tests and the browser journey."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import openpyxl

HEADERS = [
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Số thẻ đoàn viên",
    "Ngày vào công đoàn",
    "Đơn vị",
]
WITH_ETHNICITY = [*HEADERS, "Dân tộc"]


def workbook(rows: Iterable[Sequence[object]], headers: Sequence[str] = HEADERS) -> bytes:
    """An .xlsx file: `headers` on the first row, then `rows`."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
