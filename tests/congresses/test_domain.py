"""congresses.domain: the rules of terms, quorum, committee sizes and by-election caps."""

from datetime import date

import pytest

from congresses import domain


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2017-2022", "2017–2022"),
        ("2017–2022", "2017–2022"),
        (" 2017 — 2022 ", "2017–2022"),
        ("2017 - 2022", "2017–2022"),
        ("Khóa  XII", "Khóa XII"),
    ],
)
def test_hyphen_and_en_dash_name_the_same_term(typed, stored):
    assert domain.normalize_term_label(typed) == stored


@pytest.mark.parametrize(
    ("summoned", "present", "required", "met"),
    [
        (185, 124, 124, True),  # 2/3 of 185 is 123.3: 124 needed
        (185, 123, 124, False),
        (9, 6, 6, True),  # exactly two thirds is enough ("at least")
        (9, 5, 6, False),
        (3, 2, 2, True),
        (0, 0, 0, False),  # nobody summoned: no quorum
    ],
)
def test_quorum_is_at_least_two_thirds_of_those_summoned(summoned, present, required, met):
    # Charter 2018, Art. 10.1
    result = domain.quorum(summoned, present)
    assert (result.required, result.met) == (required, met)


def test_quorum_refuses_impossible_counts():
    with pytest.raises(ValueError):
        domain.quorum(10, 11)


@pytest.mark.parametrize(
    ("start", "years", "end"),
    [(date(2017, 12, 23), 5, date(2022, 12, 23)), (date(2020, 2, 29), 5, date(2025, 2, 28))],
)
def test_default_term_end(start, years, end):
    assert domain.default_term_end(start, years) == end


@pytest.mark.parametrize(
    ("until", "allowed"),
    [(date(2025, 6, 23), True), (date(2025, 6, 24), False), (date(2022, 12, 23), False)],
)
def test_extension_is_at_most_30_months(until, allowed):
    assert domain.extension_allowed(date(2022, 12, 23), until) is allowed  # ĐL2018 Art. 8.2


@pytest.mark.parametrize(
    ("kind", "members", "size", "warns"),
    [
        ("grassroots", 185, 9, False),
        ("grassroots", 185, 17, True),
        ("grassroots", 3500, 17, False),
        ("grassroots", 8, 1, False),
        ("grassroots", 8, 3, True),
        ("sub_union", 30, 7, False),
        ("sub_union", 30, 9, True),
        ("upper_union", 5000, 29, True),
        ("federation", 150_000, 45, False),
        ("federation", 90_000, 45, True),
        ("confederation", 11_000_000, 200, False),
    ],
)
def test_committee_size_bounds(kind, members, size, warns):
    # Guidance 03/HD-TLĐ §9.1
    assert (domain.committee_size_warning(kind, members, size) is not None) is warns


@pytest.mark.parametrize(
    ("seats", "kind", "cap"),
    [(9, "grassroots", 6), (7, "sub_union", 4), (9, "upper_union", 4), (35, "federation", 17)],
)
def test_by_election_cap(seats, kind, cap):
    assert domain.by_election_cap(seats, kind) == cap  # ĐL2018 Art. 11.4


def test_congress_kind_warnings():
    delegate = domain.congress_kind_warnings("delegate", members=120, higher_consent=False)
    assert [w.code for w in delegate] == ["delegate_below_150"]
    assert domain.congress_kind_warnings("delegate", members=120, higher_consent=True) == []
    assert domain.congress_kind_warnings("delegate", members=185, higher_consent=False) == []
    extra = domain.congress_kind_warnings("extraordinary", members=50, higher_consent=False)
    assert {w.code for w in extra} == {
        "extraordinary_without_consent",
        "extraordinary_without_reason",
    }


def test_half_open_periods():
    a = (date(2017, 12, 23), date(2022, 11, 25))
    assert not domain.periods_overlap(a, (date(2022, 11, 25), date(2027, 11, 25)))
    assert domain.periods_overlap(a, (date(2022, 11, 24), date(2027, 11, 25)))
