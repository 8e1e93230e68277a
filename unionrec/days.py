"""How days are read: on pages as dd/mm/yyyy, in the API and commands as YYYY-MM-DD.

One parser for each way of writing a day, each a pure function: the text in, a `date` out, or a
ValueError whose message names the text and the form expected. Callers turn that error into
their own answer (a form error, an HTTP 400, a command's error) and decide what a missing value
means; a parser never guesses a day from a blank.
"""

from __future__ import annotations

import re
from datetime import date

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
