"""An executive election with a tie for the last seat and a further round, certified; and
the tools that read the files back (pdftotext, pdffonts, pdfdetach from poppler-utils)."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from congresses import parts, services
from congresses.elections import certification, rounds
from congresses.elections import services as elections
from congresses.elections.models import Election, ElectionKind
from members import services as member_services

DAY = date(2017, 12, 23)
FORMULA = '=HYPERLINK("x")'
AT_SIGN = "@SUM(1)"
MARKUP = '<img src="file:///etc/passwd">'
# Round 1: 178 collected, more than half is 90. Đức and Hà tie at 90 (50.6 %) for the last
# of 3 seats, so a further round among them decides it: 176 collected, at least 89 needed.
ROUND_1 = {
    "Lê Minh Anh": 150,
    "Trần Văn Bình": 120,
    "Đỗ Quang Đức": 90,
    "Phạm Thu Hà": 90,
    "Nguyễn Thị Lan": 40,
    FORMULA: 5,
    AT_SIGN: 3,
    MARKUP: 2,
}
ROUND_2 = {"Đỗ Quang Đức": 100, "Phạm Thu Hà": 73}
BOARD = [
    ("Vũ Thị Mai", "Trưởng ban"),
    ("Hoàng Văn Nam", "Thành viên"),
    ("Đặng Thu Trang", "Thành viên"),
]


def make_congress(tree, *, board=BOARD):
    member_services.update_branch(branch=tree.prov, name="Liên đoàn Lao động thành phố Hải Phòng")
    member_services.update_branch(branch=tree.union, name="Công đoàn Sở Khoa học và Công nghệ")
    term = services.create_term(branch=tree.union, starts_on=DAY, ordinal=5)
    congress = services.create_congress(
        term=term,
        held_on=DAY,
        summoned=180,
        present=178,
        committee_size=3,
        venue="Hội trường Sở Khoa học và Công nghệ",
    )
    congress = services.record_held(congress)
    for name, role in board:
        parts.add_body_member(congress=congress, body="counting_board", name=name, role=role)
    return congress


def make_election(congress, names, *, kind=ElectionKind.EXECUTIVE, seats=None):
    election = elections.create_election(congress=congress, kind=kind, seats=seats)
    for name in names:
        elections.add_candidate(election=election, person_name=name)
    return Election.objects.get(pk=election.pk)


def enter(election, votes, *, issued, collected, invalid, blank=0):
    by_name = {c.person_name: c.pk for c in election.candidates.all()}
    return rounds.enter_round(
        election=election,
        issued=issued,
        collected=collected,
        valid=collected - invalid,
        invalid=invalid,
        blank=blank,
        votes={by_name[n]: v for n, v in votes.items()},
    )


@pytest.fixture
def congress(tree):
    return make_congress(tree)


@pytest.fixture
def election(congress):
    """Certified: Anh and Bình in round 1, Đức in round 2."""
    election = make_election(congress, ROUND_1)
    enter(election, ROUND_1, issued=178, collected=178, invalid=3)
    enter(election, ROUND_2, issued=178, collected=176, invalid=1, blank=2)
    certification.certify(election=election)
    return Election.objects.get(pk=election.pk)


def flat(text: str) -> str:
    """Text with every run of white space as one space (table columns, line breaks)."""
    return re.sub(r"\s+", " ", text)


def poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / f"document-{len(list(tmp_path.iterdir()))}.pdf"
    path.write_bytes(pdf)
    command = [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])]
    run = subprocess.run(command, capture_output=True, check=True, timeout=60)  # noqa: S603
    return run.stdout.decode()


def pdf_text(pdf: bytes, tmp_path: Path, *pages: int) -> str:
    """pdftotext -layout of the whole document, or of the page range given."""
    args = ["-layout"] + (["-f", str(pages[0]), "-l", str(pages[-1])] if pages else [])
    return poppler("pdftotext", pdf, tmp_path, *args)


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    info = poppler("pdfinfo", pdf, tmp_path)
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
