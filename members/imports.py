"""The preview of a member import: the file read, its rows parsed, then every row checked
against the file itself and the register (members.import_checks), and nothing written.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.conf import settings

from . import import_rows as rules
from .import_checks import Action, Issue, PreviewRow, RowChecker, message_for
from .import_files import ImportRefused, read_table
from .import_template import template_csv, template_workbook
from .models import Branch
from .statistics import today


@dataclass
class Preview:
    """What an import would do: every data row checked (members.import_checks), and the
    file's own errors, reported on its header row."""

    filename: str
    kind: str
    sha256: str
    branch_id: int
    header_row: int
    columns: dict[str, str]  # field -> header as in the file
    unrecognised_headers: list[str]
    rows: list[PreviewRow]
    file_errors: list[Issue] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Action.values, 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        """(row, column, message) of every error, the file's (on the header row) first."""
        found = [(self.header_row, e.column, e.message) for e in self.file_errors]
        return found + [(r.number, e.column, e.message) for r in self.rows for e in r.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and all(row.action != Action.ERROR for row in self.rows)

    def as_dict(self) -> dict[str, Any]:
        """The preview as JSON-ready data (dates as ISO text), with its counts, its errors as
        {row, column, message} and `ok`."""
        data = asdict(self)
        for row in data["rows"]:
            row["action"] = str(row["action"])
            row["values"] = {k: _json(v) for k, v in row["values"].items()}
            row["changes"] = {k: [_json(o), _json(n)] for k, (o, n) in row["changes"].items()}
        errors = [{"row": r, "column": c, "message": m} for r, c, m in self.errors]
        return data | {"counts": self.counts, "errors": errors, "ok": self.ok}


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def import_max_bytes() -> int:
    """settings.UNIONREC_IMPORT_MAX_BYTES: the largest file accepted (5 MB by default)."""
    return int(getattr(settings, "UNIONREC_IMPORT_MAX_BYTES", 5 * 1024 * 1024))


def import_max_rows() -> int:
    """settings.UNIONREC_IMPORT_MAX_ROWS: the most data rows a file may have (20,000)."""
    return int(getattr(settings, "UNIONREC_IMPORT_MAX_ROWS", 20_000))


def build_preview(
    *, branch: Branch, data: bytes, filename: str, user: Any, max_rows: int | None = None
) -> Preview:
    """Check every row of the file for an import into `branch` and its subtree, writing
    nothing. Raises ImportRefused for a file refused as a whole (too large, unreadable, unsafe,
    too many rows, no header or no name column). `user` None checks no rights (system use);
    otherwise every row needs the user's write right on the branch it touches."""
    return check_parsed(parse_file(data, filename, max_rows=max_rows), branch=branch, user=user)


@dataclass(frozen=True)
class ParsedFile:
    """A file read and its rows parsed, before any check against the register."""

    filename: str
    kind: str
    sha256: str
    header_row: int
    columns: rules.Columns
    rows: list[rules.ParsedRow]


def parse_file(data: bytes, filename: str, *, max_rows: int | None = None) -> ParsedFile:
    """Read the file and parse its rows (no database): the part of a preview that does not
    depend on the register."""
    if len(data) > import_max_bytes():
        raise ImportRefused("too_large", limit=import_max_bytes() // 2**20)
    limit = import_max_rows() if max_rows is None else max_rows
    table = read_table(data, filename, max_rows=limit)
    columns = rules.recognise(table.headers)
    if columns.index(rules.FULL_NAME) is None:
        raise ImportRefused("no_name_column")
    now = today()
    parsed = [
        rules.parse_row(number, cells, columns, today=now)
        for number, cells in table.rows
        if not rules.is_blank([cells[i] for i in columns.fields if i < len(cells)])
    ]
    return ParsedFile(
        filename, table.kind, hashlib.sha256(data).hexdigest(), table.header_row, columns, parsed
    )


def parsed_from_preview(stored: dict[str, Any]) -> ParsedFile:
    """The parsed rows of a preview kept as JSON (Preview.as_dict()), for checking them again
    against the register without reading the file again. Only a preview without errors is
    committed, so every kept row parsed cleanly."""
    if not stored.get("ok"):
        raise ValueError("only a preview without errors can be checked again")
    columns = rules.recognise(list(stored["columns"].values()))
    rows = []
    for row in stored["rows"]:
        values = {
            name: date.fromisoformat(value) if name in rules.DATE_FIELDS and value else value
            for name, value in row["values"].items()
        }
        rows.append(rules.ParsedRow(row["number"], values))
    return ParsedFile(
        stored["filename"], stored["kind"], stored["sha256"], stored["header_row"], columns, rows
    )


def check_parsed(parsed: ParsedFile, *, branch: Branch, user: Any) -> Preview:
    """Check parsed rows against the register (reads only: a few bulk queries)."""
    columns = parsed.columns
    checker = RowChecker(branch, columns, user, parsed.rows, today())
    return Preview(
        filename=parsed.filename,
        kind=parsed.kind,
        sha256=parsed.sha256,
        branch_id=branch.pk,
        header_row=parsed.header_row,
        columns={name: columns.headers[i] for i, name in columns.fields.items()},
        unrecognised_headers=list(columns.unrecognised),
        rows=[checker.check(row) for row in parsed.rows],
        file_errors=[
            Issue.of(header, "duplicated_column", first=columns.header(name), second=header)
            for name, header in columns.duplicated
        ],
    )


__all__ = [
    "Action",
    "ImportRefused",
    "Issue",
    "Preview",
    "PreviewRow",
    "build_preview",
    "message_for",
    "template_csv",
    "template_workbook",
]
