"""A member's own data (reports.datasets.my_data.MyData) as a JSON file and as a readable
PDF. Formats only: what is listed is the dataset's choice."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext

from unionrec.days import day_text

from ..datasets.my_data import Item, MyData
from ..pdf import head_line, render_pdf


def my_data_json(data: MyData) -> bytes:
    """UTF-8 JSON, indented, Vietnamese letters as they are (not \\u escapes)."""
    return json.dumps(data.as_json(), ensure_ascii=False, indent=2).encode("utf-8")


def item_text(item: Item) -> str:
    """What a PDF shows for an item, in the active language: a choice's label, a day as
    dd/mm/yyyy, a moment in local time, yes or no, a dash for nothing."""
    if item.shown is not None:
        return str(item.shown)
    value = item.value
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return day_text(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, str) and "T" in value[10:11]:
        try:
            moment = timezone.localtime(datetime.fromisoformat(value))
        except ValueError:
            return value
        return f"{day_text(moment.date())} {moment:%H:%M}"
    return str(value)


def my_data_pdf(data: MyData, *, language: str) -> bytes:
    """Every section with each of its rows as a table of labels and values, in `language`."""
    with translation.override(language):
        sections: list[dict[str, Any]] = [
            {
                "key": section.key,
                "title": str(section.title),
                "rows": [
                    [(str(item.label), item_text(item)) for item in row] for row in section.rows
                ],
            }
            for section in data.sections
        ]
        title = gettext("My data in the union register")
        generated = item_text(Item("", "", data.generated_at.isoformat()))
        head = head_line(f"{title}: {data.full_name}", branch=data.branch_name)
    return render_pdf(
        "reports/pdf/my_data.html",
        {
            "title": title,
            "full_name": data.full_name,
            "generated": generated,
            "sections": sections,
            "language": language,
        },
        language=language,
        running_head=head,
    )
