"""The data of every report, built once from scoped querysets; reports.excel and reports.pdf
only format it, and the pages show the same objects (style.md: "rows first, then formats").

- minutes: the counting minutes of an election;
- summary: the term summary of a branch;
- statistics: membership and gender statistics over a subtree;
- representation: women's representation through a congress."""

from .minutes import (
    BoardMember,
    CountingMinutes,
    ElectedLine,
    RoundMinutes,
    ThresholdRule,
    VoteLine,
    VoteResult,
    counting_minutes,
)

__all__ = [
    "BoardMember",
    "CountingMinutes",
    "ElectedLine",
    "RoundMinutes",
    "ThresholdRule",
    "VoteLine",
    "VoteResult",
    "counting_minutes",
]
