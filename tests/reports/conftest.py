"""What the tests of reports share: the records they read (an executive election on the small
tree with a tie for the last seat and a further round, certified; the seed case of the demo
data; members across the small tree for the roster), the figures those records must give, the
logins, and the tools that read the files back (pdftotext, pdfinfo, pdffonts, pdfdetach from
poppler-utils).

The tests mirror the modules: datasets/, formats/ and views/ hold one file per module of
reports/datasets, reports/formats and reports/views; the shared modules (pdf, excel, charts,
exports, the export_report command) have theirs here."""

from __future__ import annotations

import re
import subprocess
import threading
from datetime import date
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext

from congresses import parts, services
from congresses.elections import certification, rounds
from congresses.elections import services as elections
from congresses.elections.models import Election, ElectionKind
from congresses.models import Congress, Post, PostKind, Term
from members import services as member_services
from members.models import Branch, Gender, LeaveReason
from members.statistics import today
from reports.datasets.minutes import counting_minutes
from tests import demo_copy
from tests.factories import member

DAY = date(2017, 12, 23)
FORMULA = '=HYPERLINK("x")'
AT_SIGN = "@SUM(1)"
MARKUP = '<img src="file:///etc/passwd">'

# --- The certified election on the small tree --------------------------------------------

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
# What the counting minutes of that election say.
# (round, candidate, votes, percentage of the ballots collected, one decimal)
LINES = [
    (1, "Lê Minh Anh", 150, "84.3"),
    (1, "Trần Văn Bình", 120, "67.4"),
    (1, "Đỗ Quang Đức", 90, "50.6"),
    (1, "Phạm Thu Hà", 90, "50.6"),
    (1, "Nguyễn Thị Lan", 40, "22.5"),
    (1, FORMULA, 5, "2.8"),
    (1, AT_SIGN, 3, "1.7"),
    (1, MARKUP, 2, "1.1"),
    (2, "Đỗ Quang Đức", 100, "56.8"),
    (2, "Phạm Thu Hà", 73, "41.5"),
]
# (round, issued, collected, valid, invalid, blank, fewest votes needed)
BALLOTS = [(1, 178, 178, 175, 3, 0, 90), (2, 178, 176, 175, 1, 2, 89)]
ELECTED = [
    ("Lê Minh Anh", 1, 150, "84.3"),
    ("Trần Văn Bình", 1, 120, "67.4"),
    ("Đỗ Quang Đức", 2, 100, "56.8"),
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
    """Certified as of the congress day: Anh and Bình in round 1, Đức in round 2."""
    election = make_election(congress, ROUND_1)
    enter(election, ROUND_1, issued=178, collected=178, invalid=3)
    enter(election, ROUND_2, issued=178, collected=176, invalid=1, blank=2)
    certification.certify(election=election, certified_on=DAY)
    return Election.objects.get(pk=election.pk)


def thresholds(election, language):
    """The minutes' threshold of each round, in words, in `language`."""
    with translation.override(language):
        return [r.threshold.text() for r in counting_minutes(election).rounds]


# --- The seed case (the demo data) --------------------------------------------------------

AS_OF = date(2022, 11, 1)  # within the term: the committee and the targets of that day
AS_OF_TEXT = "01/11/2022"
# 91 women of 185 members on the congress day, as a flattened text reads it (flat, page_text,
# pdftotext): the pages and PDFs join number and "%" with a no-break space (NBSP), a space there
SHARE = {"vi": "49,2 %", "en": "49.2 %"}
NBSP = "\u00a0"
WOMEN_TARGET = "Tỷ lệ nữ trong Ban Chấp hành"


@pytest.fixture
def seed(demo):
    """The seed case's term, hp-skhcn 2017–2022, with the demo data loaded for this test."""
    demo_copy.load("congresses", "resolutions")
    return Term.objects.get(branch__code="hp-skhcn", label="2017–2022")


@pytest.fixture
def seed_union(_seed_for_module, db) -> Branch:
    """hp-skhcn, the seed case's union, from the data loaded once for the module."""
    return Branch.objects.get(code="hp-skhcn")


@pytest.fixture
def seed_congress(seed_union) -> Congress:
    """The union's congress of 23/12/2017, from the data loaded once for the module."""
    return Congress.objects.get(term__branch=seed_union, held_on=DAY)


@pytest.fixture
def login(client):
    """The demo's logins: secretary of hp-skhcn, reviewer of the city union above it, the
    member role in a sub-unit; any other name is a stranger with no grant."""

    def as_(name: str):
        users = get_user_model().objects
        user = users.filter(username=name).first() or users.create_user(name, password="pw")
        client.force_login(user)
        return client

    return as_


def executives(term: Term) -> list[str]:
    """The executive committee on AS_OF, read from the posts themselves."""
    posts = Post.objects.held_on(AS_OF).filter(term=term, kind=PostKind.EXECUTIVE)
    return list(posts.values_list("person_name", flat=True))


# --- Members across the small tree, for the roster ----------------------------------------

CARD = "HP-0012345"
TRIGGERS = [FORMULA, AT_SIGN, "+1", "-2+3"]
FORTY_FIVE_YEARS_AGO = today().replace(year=today().year - 45, month=1, day=1)


@pytest.fixture
def people(tree):
    """Members across the tree: the union and its sub-units, a sibling union, a far union."""
    lan = member(
        tree.union,
        "Nguyễn Thị Lan",
        card_number=CARD,
        birth_date=date(1990, 4, 3),
        joined_union_on=date(2012, 5, 1),
        ethnicity="Kinh",
    )
    nam = member(tree.unit_b, "Trần Văn Nam", Gender.MALE, birth_date=FORTY_FIVE_YEARS_AGO)
    member_services.mark_left(member=nam, on=date(2020, 6, 30), reason=LeaveReason.RETIRED)
    odd = [member(tree.unit_a, name, Gender.MALE) for name in TRIGGERS]
    trang = member(tree.other, "Lê Thu Trang")
    far = member(tree.far_union, "Phạm Minh", Gender.MALE)
    return {"lan": lan, "nam": nam, "odd": odd, "trang": trang, "far": far}


@pytest.fixture
def media(settings, tmp_path):
    """Stored files (export jobs) go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


# --- A server that must never be asked --------------------------------------------------


class Recorder(BaseHTTPRequestHandler):
    """Answers every request with a redirect and remembers that it was asked."""

    hits: list[str] = []

    def do_GET(self) -> None:
        Recorder.hits.append(self.path)
        self.send_response(302)
        self.send_header("Location", "data:text/plain,redirected")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    """A local HTTP server that redirects everything; yields its base URL."""
    Recorder.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# --- Reading pages and files back ---------------------------------------------------------


def flat(text: str) -> str:
    """Text with every run of white space as one space (table columns, line breaks)."""
    return re.sub(r"\s+", " ", text)


def squeezed(text: str) -> str:
    """Text without any white space (a long line may wrap inside a URL)."""
    return re.sub(r"\s+", "", text)


def page_text(response) -> str:
    """A page's text without its markup, flattened."""
    return flat(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def pct(value: str, language: str) -> str:
    """How the documents write a percentage, as a flattened text reads it: 50,6 % in
    Vietnamese, 50.6 % in English (a no-break space on the page, unionrec...with_unit)."""
    return (value.replace(".", ",") if language == "vi" else value) + " %"


def said(language: str, *msgids: str) -> dict[str, str]:
    """The labels as the files print them in `language` (so the tests hold after translation)."""
    with translation.override(language):
        return {msgid: gettext(msgid) for msgid in msgids}


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
