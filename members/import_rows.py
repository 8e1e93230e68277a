"""Pure rules of the member import: which column is which, and what a cell means.

Values in, values out; only the standard library (and members.domain, itself pure). Headers are
recognised in Vietnamese and English, with or without diacritics; cells are parsed into the
values the register stores, and every problem becomes a RowError naming the column as the file
spells it. Messages are English msgids marked for makemessages; members.import_checks
translates them.
"""

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TypeGuard

from unionrec.days import day_text

from .domain import clean_name, fold


def gettext_noop(text: str) -> str:
    """Marks text for `makemessages` (which looks for this name) without importing Django."""
    return text


FULL_NAME = "full_name"
GENDER = "gender"
BIRTH_DATE = "birth_date"
CARD_NUMBER = "card_number"
JOINED_UNION_ON = "joined_union_on"
BRANCH = "branch"
ETHNICITY = "ethnicity"
CONSENT_ON = "consent_on"  # optional: a new member's record held on their consent (members.basis)
FIELDS = (
    FULL_NAME,
    GENDER,
    BIRTH_DATE,
    CARD_NUMBER,
    JOINED_UNION_ON,
    BRANCH,
    ETHNICITY,
    CONSENT_ON,
)
DATE_FIELDS = (BIRTH_DATE, JOINED_UNION_ON, CONSENT_ON)
IN_FUTURE = {
    BIRTH_DATE: "birth_in_future",
    JOINED_UNION_ON: "joined_in_future",
    CONSENT_ON: "consent_in_future",
}

# The values of members.models.Gender (tests hold the two to the same values).
FEMALE, MALE, UNKNOWN = "female", "male", "unknown"

# Lengths of the model's fields (members.models.Member).
MAX_LENGTHS = {FULL_NAME: 150, ETHNICITY: 60, BRANCH: 255}
EARLIEST = date(1900, 1, 1)

# The example row of the import template (members.import_template), kept on a sheet of its own
# (EXAMPLE_SHEETS, which the reader never reads) and refused as a member wherever it turns up
# (is_example): "Nguyễn Văn A" is the Vietnamese placeholder name, as "John Doe" in English.
EXAMPLE_NAME = "Nguyễn Văn A"
EXAMPLE_BIRTH_DATE = date(1990, 4, 25)
EXAMPLE_CARD = "012345"
EXAMPLE_SHEETS = ("Ví dụ", "Example")

# members.models.card_validator, reproduced: the text printed on the card.
CARD_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9./-]{0,39}$"
_CARD = re.compile(CARD_PATTERN)

# Folded spellings of each field's header (see fold_header).
SPELLINGS: dict[str, tuple[str, ...]] = {
    FULL_NAME: (
        "ho va ten", "ho ten", "ho va ten doan vien", "ho ten doan vien", "ten doan vien",
        "full name", "fullname", "name", "member name", "member s name",
    ),
    GENDER: ("gioi tinh", "gioi", "phai", "gender", "sex"),
    BIRTH_DATE: (
        "ngay sinh", "ngay thang nam sinh", "sinh ngay", "date of birth", "birth date",
        "birthdate", "birthday", "dob", "born",
    ),
    CARD_NUMBER: (
        "so the doan vien", "so the dv", "so the", "so the cong doan", "ma the", "ma the doan vien",
        "card number", "card no", "card", "union card", "union card number", "union card no",
    ),
    JOINED_UNION_ON: (
        "ngay vao cong doan", "ngay vao cd", "ngay gia nhap cong doan", "ngay ket nap",
        "ngay ket nap cong doan", "joined the union", "joined the union on", "joined on",
        "joined", "date joined", "joining date", "date of joining",
    ),
    BRANCH: (
        "don vi", "ma don vi", "ten don vi", "cong doan bo phan", "cdbp", "to cong doan",
        "sub unit", "subunit", "sub union", "branch", "branch code", "unit", "unit code",
    ),
    ETHNICITY: ("dan toc", "ethnicity", "ethnic group", "ethnic"),
    CONSENT_ON: ("ngay dong y", "dong y ngay", "consent given on", "consent on", "consent date"),
}  # fmt: skip # a field's spellings in a few lines
_BY_SPELLING = {spelling: name for name, spellings in SPELLINGS.items() for spelling in spellings}

GENDER_WORDS = {
    "nu": FEMALE, "nu gioi": FEMALE, "female": FEMALE, "f": FEMALE, "woman": FEMALE,
    "nam": MALE, "nam gioi": MALE, "male": MALE, "m": MALE, "man": MALE,
    "khong ro": UNKNOWN, "chua ro": UNKNOWN, "unknown": UNKNOWN,
}  # fmt: skip # a line of words a gender

MESSAGES = {
    "name_required": gettext_noop("Enter the member's full name."),
    "too_long": gettext_noop("This is longer than %(limit)s characters."),
    "bad_gender": gettext_noop(
        "“%(value)s” is not a gender: write Nam or Nữ (Male or Female), or leave it blank."
    ),
    "bad_date": gettext_noop("“%(value)s” is not a date: write it as dd/mm/yyyy, e.g. 25/04/1990."),
    "too_early": gettext_noop("The date cannot be before 01/01/1900."),
    "birth_in_future": gettext_noop("The date of birth cannot be in the future."),
    "joined_in_future": gettext_noop("The date of joining cannot be in the future."),
    "consent_in_future": gettext_noop("The day of consent cannot be in the future."),
    "joined_before_birth": gettext_noop("The date of joining cannot be before the date of birth."),
    "bad_card": gettext_noop(
        "A card number is the text printed on the card: letters and digits (with . / -)."
    ),
    "card_as_number": gettext_noop(
        "The card number was entered as a number, which loses its leading zeros: format the "
        "Card number column as Text and enter it again."
    ),
    "example_row": gettext_noop(
        "This is the template's example row (%(example)s), not a member: delete the row."
    ),
}

Value = str | date


@dataclass(frozen=True)
class RowError:
    """A problem with one cell (or, with column "", with the row). `code` is a key of
    MESSAGES (or of members.import_checks' own messages); `params` fill the message."""

    column: str
    code: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Columns:
    """Which field each column holds. The first column naming a field wins; later ones are
    listed in `duplicated` and read nowhere."""

    headers: tuple[str, ...]
    fields: Mapping[int, str]
    unrecognised: tuple[str, ...] = ()
    duplicated: tuple[tuple[str, str], ...] = ()  # (field, header text)

    def index(self, name: str) -> int | None:
        return next((i for i, f in self.fields.items() if f == name), None)

    def header(self, name: str) -> str:
        """The header text of the field's column as in the file ("" if the file has none)."""
        index = self.index(name)
        return "" if index is None else self.headers[index]


@dataclass(frozen=True)
class ParsedRow:
    """One data row. `values` holds only fields whose cell is not blank (a blank cell never
    erases stored data); gender "unknown" counts as blank."""

    number: int
    values: dict[str, Value]
    errors: tuple[RowError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold_words(text: str) -> str:
    """Text as compared: folded (lower case, no diacritics, đ as d), punctuation and spaces
    collapsed to one space: "Tổ CĐ - Phòng Kế toán" -> "to cd phong ke toan"."""
    return " ".join(_NOT_WORD.sub(" ", fold(unicodedata.normalize("NFC", text))).split())


def fold_header(text: str) -> str:
    """A header as compared: fold_words without bracketed remarks such as "(dd/mm/yyyy)"."""
    return fold_words(_BRACKETED.sub(" ", fold(text)))


def recognise(headers: Sequence[object]) -> Columns:
    """Map each column whose header names a field to that field. Blank headers are ignored;
    other unknown headers are listed in `unrecognised`."""
    texts = tuple(cell_text(header) for header in headers)
    fields: dict[int, str] = {}
    unrecognised: list[str] = []
    duplicated: list[tuple[str, str]] = []
    for index, text in enumerate(texts):
        if not text:
            continue
        name = _BY_SPELLING.get(fold_header(text))
        if name is None:
            unrecognised.append(text)
        elif name in fields.values():
            duplicated.append((name, text))
        else:
            fields[index] = name
    return Columns(texts, fields, tuple(unrecognised), tuple(duplicated))


def cell_text(value: object) -> str:
    """A cell as text: numbers without a spurious ".0" (card 12345, not "12345.0"), dates as
    dd/mm/yyyy, text cleaned as names are (members.domain.clean_name: no invisible characters,
    full-width forms folded, single spaces), None as ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        value = value.date() if value.time() == time() else value
    if isinstance(value, date) and not isinstance(value, datetime):
        return day_text(value)
    return clean_name(str(value))


def is_example(values: Mapping[str, Value]) -> bool:
    """Whether parsed values are the template's example row: its placeholder name (however
    spelt) with its card number or its date of birth. A real namesake with other details is
    not taken for it."""
    name = values.get(FULL_NAME)
    return (
        isinstance(name, str)
        and fold_words(name) == fold_words(EXAMPLE_NAME)
        and (
            values.get(CARD_NUMBER) == EXAMPLE_CARD or values.get(BIRTH_DATE) == EXAMPLE_BIRTH_DATE
        )
    )


def is_example_sheet(title: str) -> bool:
    """Whether a sheet is the template's example sheet (by its title, however spelt)."""
    return fold_words(title) in {fold_words(t) for t in EXAMPLE_SHEETS}


def is_number(value: object) -> TypeGuard[int | float]:
    """A number cell (not a boolean): a card number stored so has lost any leading zero."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _blank(value: object) -> bool:
    if value is None:
        return True
    return isinstance(value, str) and (not value.strip() or cell_text(value) == "")


def is_blank(cells: Sequence[object]) -> bool:
    return all(_blank(cell) for cell in cells)


_DMY = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_LAST_SERIAL = 2958465  # 31/12/9999


def parse_date(value: object) -> date | None:
    """A date from a cell: a date or datetime cell, an Excel serial number, or text as
    dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy) or yyyy-mm-dd, optionally followed by
    a time. None if the cell is none of these (blank cells are the caller's business)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if is_number(value):
        serial = int(value)
        if not 1 <= serial <= EXCEL_LAST_SERIAL:
            return None
        # Excel counts a 29/02/1900 that never was: serials before it start a day later.
        return EXCEL_EPOCH + timedelta(days=serial if serial >= 61 else serial + 1)
    text = cell_text(value)
    for pattern, order in ((_DMY, (4, 3, 1)), (_YMD, (1, 2, 3))):
        match = pattern.match(text)
        if match and _TIME.fullmatch(text, match.end()):
            year, month, day = (int(match.group(i)) for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


@lru_cache(maxsize=256)
def parse_gender(text: str) -> str | None:
    """female, male or unknown for the words of GENDER_WORDS (any case, with or without
    diacritics); None for anything else."""
    return GENDER_WORDS.get(fold_header(text))


def parse_row(number: int, cells: Sequence[object], columns: Columns, *, today: date) -> ParsedRow:
    """Parse one data row: every recognised column is read, and every problem is reported
    (the row does not stop at the first). Guarantees: `values` holds only valid values of
    non-blank cells; a row without a full name has an error whenever the file has a name
    column; dates are neither in the future nor before 1900, and joining is not before
    birth; a card number cell holding a number (Excel drops the leading zeros of a number) is
    an error, never read as the card; the template's example row is an error (is_example)."""
    values: dict[str, Value] = {}
    errors: list[RowError] = []

    def fail(name: str, code: str, **params: str) -> None:
        errors.append(RowError(columns.header(name), code, params))

    for index, name in columns.fields.items():
        raw = cells[index] if index < len(cells) else None
        if _blank(raw):
            if name == FULL_NAME:
                fail(name, "name_required")
            continue
        if name in DATE_FIELDS:
            day = parse_date(raw)
            if day is None:
                fail(name, "bad_date", value=cell_text(raw)[:50])
            elif day < EARLIEST:
                fail(name, "too_early")
            elif day > today:
                fail(name, IN_FUTURE[name])
            else:
                values[name] = day
            continue
        if name == CARD_NUMBER and is_number(raw):
            fail(name, "card_as_number")
            continue
        text = cell_text(raw)
        if name == GENDER:
            gender = parse_gender(text)
            if gender is None:
                fail(name, "bad_gender", value=text[:50])
            elif gender != UNKNOWN:
                values[name] = gender
        elif name == CARD_NUMBER:
            card = text.upper()
            if _CARD.fullmatch(card):
                values[name] = card
            else:
                fail(name, "bad_card")
        elif len(text) > MAX_LENGTHS.get(name, len(text)):
            fail(name, "too_long", limit=str(MAX_LENGTHS[name]))
        else:
            values[name] = text
    born, joined = values.get(BIRTH_DATE), values.get(JOINED_UNION_ON)
    if isinstance(born, date) and isinstance(joined, date) and joined < born:
        fail(JOINED_UNION_ON, "joined_before_birth")
        del values[JOINED_UNION_ON]
    if is_example(values):
        fail(FULL_NAME, "example_row", example=EXAMPLE_NAME)
    return ParsedRow(number, values, tuple(errors))
