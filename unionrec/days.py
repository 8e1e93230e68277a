"""How days are read and written: on pages as dd/mm/yyyy, in the API and commands as
YYYY-MM-DD.

One parser for each way of writing a day, each a pure function: the text in, a `date` out, or a
ValueError whose message names the text and the form expected. Callers turn that error into
their own answer (a form error, an HTTP 400, a command's error) and decide what a missing value
means; a parser never guesses a day from a blank. The pages' forms read days through
unionrec.forms.DayField; messages write them with day_text.
"""

from __future__ import annotations

import re
from datetime import date

# --- Pages: dd/mm/yyyy ----------------------------------------------------------------------

# The day first, then the month, then four digits of the year; one separator throughout.
PAGE_DAY = re.compile(
    r"(?P<day>[0-9]{1,2})(?P<sep>[/.-])(?P<month>[0-9]{1,2})(?P=sep)(?P<year>[0-9]{4})"
)


def parse_page_day(text: str) -> date:
    """The day `text` names as people type it on a page: dd/mm/yyyy, the day first (also
    d/m/yyyy, and 23-12-2017 or 23.12.2017), spaces around it ignored, a day of the calendar.
    Never month-first, and not YYYY-MM-DD: 03/04/2017 is 3 April in every language here."""
    found = PAGE_DAY.fullmatch(text.strip())
    if found is not None:
        try:
            return date(int(found["year"]), int(found["month"]), int(found["day"]))
        except ValueError:  # no such day: 31/02/2017, month 13
            pass
    raise ValueError(f"{text!r} is not a day: write it as dd/mm/yyyy")


def day_text(day: date) -> str:
    """A day as pages and messages write it, in every language: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


# --- The API and commands: YYYY-MM-DD -------------------------------------------------------

ISO_DAY = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})")


def parse_iso_day(text: str) -> date:
    """The day `text` names as YYYY-MM-DD: exactly four digits, two and two, joined by hyphens,
    nothing around them, and a day of the calendar (not 2017-02-31).

    Only that form: date.fromisoformat (Python 3.11 and later) also reads `20171223`, week
    dates such as `2017-W51-6` and ordinal dates, and a client that sends one of those has more
    likely mixed up formats than meant the day it would be read as."""
    found = ISO_DAY.fullmatch(text)
    if found is not None:
        try:
            return date(int(found["year"]), int(found["month"]), int(found["day"]))
        except ValueError:  # no such day: 2017-02-31, month 13, year 0
            pass
    raise ValueError(f"{text!r} is not a day: write it as YYYY-MM-DD")
