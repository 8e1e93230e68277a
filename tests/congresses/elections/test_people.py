"""Who a candidacy names (congresses.elections.domain.person_key): a member by the member
record, anyone else by the cleaned name, letter for letter. Women's representation counts
each person once with it."""

import pytest

from congresses.elections.domain import person_key


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        # The chair elected to the executive, then as chair at its first meeting (§2).
        ((7, "Nguyễn Thị Lan"), (7, "Nguyễn Thị Lan"), True),
        # One member record is one person, however the name was typed on each ballot.
        ((7, "Nguyễn Thị Lan"), (7, "Nguyễn T. Lan"), True),
        # Two member records are two people, even with one name.
        ((7, "Nguyễn Thị Lan"), (8, "Nguyễn Thị Lan"), False),
        # Outside the register: the stored name, cleaned (spaces, NFC), letter for letter.
        ((None, "Nguyễn Thị Lan"), (None, "  Nguyễn   Thị Lan "), True),
        ((None, "Nguyễn Thị Lan"), (None, "Nguye\u0302\u0303n Thị Lan"), True),  # NFD typed
        ((None, "Nguyễn Thị Lan"), (None, "Nguyen Thi Lan"), False),  # no folding of tones
        ((None, "Nguyễn Thị Lan"), (None, "nguyễn thị lan"), False),
        # A member and someone named outside the register are not matched by name.
        ((7, "Nguyễn Thị Lan"), (None, "Nguyễn Thị Lan"), False),
    ],
)
def test_a_candidacy_names_a_person_by_member_record_or_exact_name(first, second, same):
    assert (person_key(*first) == person_key(*second)) is same
