"""members.domain: pure rules, no database."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from members import domain


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (91, 185, Decimal("49.2")),  # the seed case: 49.189... -> 49.2
        (1, 8, Decimal("12.5")),
        (1, 16, Decimal("6.3")),  # 6.25 rounds half up, not to even (6.2)
        (3, 16, Decimal("18.8")),  # 18.75
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),
        (0, 5, Decimal("0.0")),
        (5, 5, Decimal("100.0")),
        (0, 0, None),  # an empty branch has no share
    ],
)
def test_share_rounds_half_up_to_one_decimal(part, whole, expected):
    assert domain.share(part, whole) == expected


def test_share_refuses_negative_counts():
    with pytest.raises(ValueError):
        domain.share(-1, 5)


def test_unknown_gender_counts_as_member_not_woman():
    counts = domain.Counts(members=10, women=4, unknown=2)
    assert counts.men == 4
    assert counts.women_share == Decimal("40.0")


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Hoàng Dũng", "hoang dung"),
        ("Nguyễn  Thị   Ánh", "nguyen thi anh"),
        ("ĐẶNG Đức Đạt", "dang duc dat"),
        ("Trịnh Thùy Dương", "trinh thuy duong"),
    ],
)
def test_fold_drops_diacritics_case_and_d_stroke(text, folded):
    assert domain.fold(text) == folded


def test_search_terms_match_folded_names():
    assert domain.fold("hoang dung") in domain.fold("Hoàng Dũng")
    assert domain.fold("nguyen") in domain.fold("Nguyễn Thị Lan")
    assert domain.fold("dung") in domain.fold("Lê Thị Dung")
    assert domain.fold("dung") in domain.fold("Phạm Văn Dũng")
    assert domain.fold("d") in domain.fold("Đào")


def test_names_sort_by_given_name_first():
    names = ["Trần Văn Bình", "Nguyễn Thị Anh", "Lê Minh Châu", "Bùi Thị Ánh"]
    ordered = sorted(names, key=domain.name_sort_key)
    # "Anh" and "Ánh" share their letters, so the family name decides (Bùi < Nguyễn).
    assert ordered == ["Bùi Thị Ánh", "Nguyễn Thị Anh", "Trần Văn Bình", "Lê Minh Châu"]
    # given names decide before family names
    assert domain.name_sort_key("Vũ Văn An") < domain.name_sort_key("An Văn Bình")


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("Lê Văn An", "Lê Văn Ăn"),  # a < ă
        ("Lê Văn Ăn", "Lê Văn Ân"),  # ă < â
        ("Lê Văn Dung", "Lê Văn Đông"),  # d < đ, whatever follows
        ("Lê Văn Dũng", "Lê Văn Đan"),
        ("Lê Thị Oanh", "Lê Thị Ơn"),  # o < ô < ơ
        ("Lê Văn Ung", "Lê Văn Ưng"),  # u < ư
        ("Lê Văn An", "Lê Văn Anh"),  # a prefix first
        ("Lê Văn Ma", "Lê Văn Mà"),  # tones break ties: ngang < huyền
        ("Lê Văn Mà", "Lê Văn Mả"),  # huyền < hỏi
        ("Lê Văn Mã", "Lê Văn Má"),  # ngã < sắc
        ("Lê Văn Má", "Lê Văn Mạ"),  # sắc < nặng
        ("Bùi Văn Hùng", "Lê Văn Hùng"),  # same given name: family name decides
        ("Lê Anh Tú", "Lê Bảo Tú"),  # then the middle names
    ],
)
def test_vietnamese_alphabet_order(lower, higher):
    assert domain.name_sort_key(lower) < domain.name_sort_key(higher)


def test_letters_decide_before_tones():
    # "Ánh" and "Anh" differ only by tone, so the family name decides first.
    assert domain.name_sort_key("Bùi Thị Ánh") < domain.name_sort_key("Lê Thị Anh")


@given(st.text(min_size=1, max_size=60))
def test_sort_key_and_fold_never_fail(text):
    assert isinstance(domain.name_sort_key(text), str)
    assert domain.fold(domain.fold(text)) == domain.fold(text)


def test_clean_name_collapses_spaces_and_controls():
    assert domain.clean_name("  Lê\tThị \r\nHoa ") == "Lê Thị Hoa"


@pytest.mark.parametrize(
    ("born", "day", "age", "band"),
    [
        (date(1990, 6, 15), date(2020, 6, 14), 29, "under-30"),
        (date(1990, 6, 15), date(2020, 6, 15), 30, "30-39"),
        (date(1980, 2, 29), date(2020, 2, 28), 39, "30-39"),
        (date(1980, 2, 29), date(2020, 2, 29), 40, "40-49"),
        (date(1960, 1, 1), date(2020, 1, 1), 60, "50-plus"),
    ],
)
def test_age_and_band(born, day, age, band):
    assert domain.age_on(born, day) == age
    assert domain.age_band(born, day) == band


@given(
    st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 12, 31)),
    st.dates(min_value=date(2011, 1, 1), max_value=date(2040, 12, 31)),
)
def test_band_birth_date_range_matches_age_band(born, day):
    band = domain.age_band(born, day)
    earliest, latest = domain.birth_dates_for_band(band, day)
    assert born <= latest
    assert earliest is None or born >= earliest


def test_subtree_bounds_and_ancestors():
    assert domain.subtree_bounds("00010002") == ("00010002", "00010002~")
    assert domain.ancestor_paths("000100020003") == ["0001", "00010002", "000100020003"]
    assert domain.ancestor_paths("0001") == ["0001"]


@pytest.mark.parametrize(
    ("path", "parent"),
    [("0001", None), ("00010002", "0001"), ("000100020003", "00010002")],
)
def test_parent_path_drops_the_last_step(path, parent):
    assert domain.parent_path(path) == parent


@pytest.mark.parametrize(
    ("card", "shown"),
    [
        ("HP-0012345", "••••••2345"),  # reliability-security test 55: the last four only
        ("HP12345", "•••2345"),
        ("A1234", "•1234"),
        ("AB12", "••••"),  # four or fewer: hidden whole, never shown in full
        ("7", "•"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_masked_card_number_shows_its_last_four_characters_only(card, shown):
    assert domain.mask_card(card) == shown
