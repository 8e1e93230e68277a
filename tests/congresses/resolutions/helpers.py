"""Plain helpers of the resolution tests: the day they run on, a resolution of a branch's new
term, and the target of new members that most of them set."""

from datetime import date

from congresses import services
from congresses.resolutions import services as resolutions
from tests.congresses.helpers import DAY

TODAY = date(2020, 6, 10)  # under half of a term from DAY gone (900 of 1826 days)


def resolution_of(branch, starts_on=DAY, **fields):
    """The resolution of the congress that opens a new term of `branch` on `starts_on` (30
    summoned, 28 present)."""
    term = services.create_term(branch=branch, starts_on=starts_on)
    congress = services.create_congress(term=term, held_on=starts_on, summoned=30, present=28)
    return resolutions.create_resolution(congress=congress, **fields)


def add_members_target(resolution, **extra):
    """The target of new members: from 185 to 225 đoàn viên."""
    return resolutions.add_target(
        resolution=resolution,
        title="Phát triển đoàn viên mới",
        kind="count",
        baseline=185,
        target_value=225,
        unit="đoàn viên",
        **extra,
    )
