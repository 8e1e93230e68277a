"""unionrec.days: how pages read a day (dd/mm/yyyy, the day first), how the API and the
commands read one (YYYY-MM-DD, exactly that), and how messages write one."""

from datetime import date

import pytest
from django import forms

from unionrec.days import day_text, parse_iso_day, parse_page_day
from unionrec.forms import DayField


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


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("23/12/2017", date(2017, 12, 23)),
        ("3/4/2017", date(2017, 4, 3)),  # the day first, always
        ("03/04/2017", date(2017, 4, 3)),
        ("23-12-2017", date(2017, 12, 23)),
        ("23.12.2017", date(2017, 12, 23)),
        (" 23/12/2017 ", date(2017, 12, 23)),
        ("29/02/2016", date(2016, 2, 29)),
    ],
)
def test_a_day_typed_on_a_page_is_read_day_first(text, day):
    assert parse_page_day(text) == day


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2017",  # no such day
        "12/23/2017",  # month first: there is no 23rd month
        "2017-12-23",  # the API's form
        "23/12-2017",  # two separators
        "23/12/17",  # a two-digit year
        "23 12 2017",
        "",
        "hôm qua",
    ],
)
def test_a_page_refuses_what_is_not_dd_mm_yyyy(text):
    with pytest.raises(ValueError, match="is not a day: write it as dd/mm/yyyy"):
        parse_page_day(text)


def test_every_page_form_reads_days_with_the_one_page_parser():
    class Form(forms.Form):
        on = DayField(required=False)

    assert Form({"on": "3/4/2017"}).is_valid()
    good = Form({"on": "23.12.2017"})
    assert good.is_valid() and good.cleaned_data["on"] == date(2017, 12, 23)
    bad = Form({"on": "2017-12-23"})
    assert not bad.is_valid() and "on" in bad.errors
    assert Form({"on": ""}).is_valid()


def test_a_day_is_written_dd_mm_yyyy():
    assert day_text(date(2017, 4, 3)) == "03/04/2017"
