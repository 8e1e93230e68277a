"""Plain helpers of the election tests: the five candidates of the shared `election` (see
conftest.py), the tallies entered for them, and entering a round by their names."""

from congresses.elections import rounds

NAMES = ["Trần Văn Bình", "Nguyễn Thị Lan", "Lê Minh Anh", "Phạm Thu Hà", "Đỗ Quang Đức"]
# 28 collected: more than half is 15. Anh 25, Bình 20, Đức 16 = Hà 16, Lan 3: a tie for the
# last of 3 seats, so a further round among Đức and Hà
TIE = {
    "Lê Minh Anh": 25,
    "Trần Văn Bình": 20,
    "Đỗ Quang Đức": 16,
    "Phạm Thu Hà": 16,
    "Nguyễn Thị Lan": 3,
}
CLEAR = TIE | {"Đỗ Quang Đức": 17}  # three pass: complete after one round
SHORT = TIE | {"Đỗ Quang Đức": 14, "Phạm Thu Hà": 13}  # 14 of 28 is not more than half


def ids(election):
    """The candidates' ids by their names."""
    return {c.person_name: c.pk for c in election.candidates.all()}


def enter(election, votes, *, issued=28, collected=28, invalid=0, blank=0, **extra):
    """Enter the next round through the services: `votes` by the candidates' names, 28 ballots
    issued and collected, all valid, unless told otherwise."""
    by_name = ids(election)
    return rounds.enter_round(
        election=election,
        issued=issued,
        collected=collected,
        valid=collected - invalid,
        invalid=invalid,
        blank=blank,
        votes={by_name[n]: v for n, v in votes.items()},
        **extra,
    )
