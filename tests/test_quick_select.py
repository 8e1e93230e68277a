"""unionrec.forms.QuickSelect draws what Django's Select draws, without its templates."""

import pytest
from django import forms
from django.test.html import parse_html

from unionrec.forms import QuickSelect

CHOICES = [
    ("", "Any"),
    ("female", "Nữ"),
    ("male", 'Nam <b>"x"</b>'),
    ("Older", [("50", "50 and over"), ("60", "60 & over")]),
]


@pytest.mark.parametrize("value", [None, "", "female", "60", ["male", "50"], "unknown"])
@pytest.mark.parametrize("multiple", [False, True])
def test_the_same_markup_as_djangos_select(value, multiple):
    attrs = {"id": "id_gender", "class": "narrow", "required": True, "disabled": False}
    django: type[forms.Select] = forms.SelectMultiple if multiple else forms.Select
    ours = type("Quick", (QuickSelect, django), {}) if multiple else QuickSelect
    drawn = ours(choices=CHOICES).render("gender", value, attrs=attrs)
    expected = django(choices=CHOICES).render("gender", value, attrs=attrs)
    assert parse_html(drawn) == parse_html(expected)
    assert "<b>" not in drawn  # labels are escaped


def test_a_filter_form_uses_it(client_as, tree):
    page = client_as("secretary").get("/members/", {"branch": "union", "gender": "female"})
    html = page.content.decode()
    assert '<select name="gender" id="id_gender"><option value="">' in html
    assert '<option value="female" selected>' in html
