"""How a number and its unit are written (unionrec.templatetags.unionrec.with_unit, issue 13
item 4): one phrase joined by a no-break space in both languages, so that "49,2 %" never wraps
apart on a phone, and one format for a percentage whether it is a share or a target in %."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from unionrec.templatetags.unionrec import format_share, percent, quantity, with_unit

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "write", "expected"),
    [
        ("vi", lambda: format_share(Decimal("49.19")), "49,2\u00a0%"),
        ("en", lambda: format_share(Decimal("49.19")), "49.2\u00a0%"),
        ("vi", lambda: format_share(Decimal("104.5")), "104,5\u00a0%"),
        ("vi", lambda: format_share(None), "—"),
        ("vi", lambda: percent(40), "40\u00a0%"),
        ("en", lambda: percent(40), "40\u00a0%"),
        ("vi", lambda: quantity(Decimal("22.50"), "%"), "22,5\u00a0%"),
        ("en", lambda: quantity(Decimal("22.50"), "%"), "22.5\u00a0%"),
        ("vi", lambda: quantity(Decimal("1234.5"), "đoàn viên"), "1.234,5\u00a0đoàn viên"),
        ("en", lambda: quantity(Decimal("1234.5"), "members"), "1,234.5\u00a0members"),
        ("vi", lambda: quantity(Decimal("80"), ""), "80"),  # no unit: the number alone
        ("vi", lambda: quantity(None, "%"), "—"),
        ("vi", lambda: with_unit("7", " lượt "), "7\u00a0lượt"),
    ],
)
def test_a_number_and_its_unit_are_joined_by_a_no_break_space(language, write, expected):
    with translation.override(language):
        assert write() == expected


def test_a_share_and_a_target_in_percent_read_alike():
    for language in ("vi", "en"):
        with translation.override(language):
            assert format_share(Decimal("22.5")) == quantity(Decimal("22.50"), "%")


@pytest.mark.parametrize(("language", "expected"), [("vi", "49,2\u00a0%"), ("en", "49.2\u00a0%")])
def test_the_seed_branch_shows_its_womens_share_in_one_format(client, demo, language, expected):
    """hp-skhcn on 23/12/2017: 185 members, 91 women."""
    client.login(username="secretary", password="demo")
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    url = reverse("members:branch", args=["hp-skhcn"])
    html = client.get(url, {"as_of": "23/12/2017"}).content.decode()
    assert f'<div class="value" id="stat-share">{expected}</div>' in html
    assert expected.replace(NBSP, " ") not in html  # never an ordinary space
    assert expected.replace(NBSP, "") not in html  # nor none
