"""unionrec.days: how the API and the commands read a day (YYYY-MM-DD, exactly that)."""

from datetime import date

import pytest

from unionrec.days import parse_iso_day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2017-12-23", date(2017, 12, 23)),
        ("2016-02-29", date(2016, 2, 29)),  # a leap day
        ("0001-01-01", date(1, 1, 1)),
        ("9999-12-31", date(9999, 12, 31)),
    ],
)
def test_a_day_written_as_yyyy_mm_dd_is_read(text, day):
    assert parse_iso_day(text) == day


@pytest.mark.parametrize(
    "text",
    [
        "2017-02-31",  # no such day
        "2017-02-29",  # not a leap year
        "2017-13-01",  # no thirteenth month
        "0000-01-01",  # no year 0
        "20171223",  # ISO's basic form, which date.fromisoformat reads
        "2017-W51-6",  # a week date, which date.fromisoformat reads
        "2017-357",  # an ordinal date
        "23/12/2017",  # the pages' form
        "2017-12-3",
        "17-12-23",
        "2017/12/23",
        "2017-12-23T00:00",
        "",
        "   ",
        " 2017-12-23",
        "2017-12-23 ",
        "2017-12-23\n",
        "٢٠١٧-١٢-٢٣",  # digits of another script
    ],
)
def test_anything_else_is_refused_with_the_form_to_use(text):
    with pytest.raises(ValueError, match="is not a day: write it as YYYY-MM-DD") as refused:
        parse_iso_day(text)
    assert repr(text) in str(refused.value)
