"""`python -m bench.documents`: time the counting minutes (biên bản kiểm phiếu) as a PDF and as
an Excel file against performance.md ("counting minutes PDF ≤ 1 s"), then the term summary of
the seed case (PDF ≤ 1 s, Excel) and its congress dossier (one PDF, no target: reported).

A realistic election is built through the services in a throwaway SQLite database: the
executive committee of a large grassroots union (15 seats, 18 candidates, a counting board of
five, a tie for the last seat settled by a second round), certified. The rendering does not
depend on the database; the dataset's queries are timed on their own. The term summary and
the dossier read the demo data of the seed case (members.demo, congresses.demo and
demo_resolutions loaded into the same database). `make bench` runs this after
`python -m bench`; bench/README.md explains the figures.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PDF_TARGET_MS = 1000.0  # performance.md: counting minutes PDF ≤ 1 s, term summary PDF ≤ 1 s
DAY = date(2022, 10, 15)
SEATS = 15
CANDIDATES = 18


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.documents",
        description=(
            "Build a certified executive election (15 seats, 18 candidates, two rounds) in a "
            "throwaway SQLite database and time the counting minutes: the dataset, the PDF "
            "in Vietnamese and in English, the Excel file, and a whole PDF download request, "
            "each the median of --repeat runs after one untimed warm-up; then load the seed "
            "case's demo data and time its term summary (PDF, Excel) and congress dossier."
        ),
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        metavar="N",
        help="timed runs of each operation after one untimed warm-up (default 5)",
    )
    parser.add_argument(
        "--candidates",
        type=int,
        default=CANDIDATES,
        metavar="N",
        help=f"candidates on the ballot, at least {SEATS + 3} (default {CANDIDATES})",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.candidates < SEATS + 3:
        parser.error(f"--repeat must be at least 1 and --candidates at least {SEATS + 3}")
    return args


def _setup_django(path: Path) -> None:
    """Django on a SQLite file of our own; never DATABASE_URL's database."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "unionrec.settings"
    os.environ.setdefault("UNIONREC_TESTING", "1")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.pop("DATABASE_URL", None)
    os.environ["SQLITE_PATH"] = str(path)
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    import django

    django.setup()


def _names(count: int, rng: random.Random) -> list[str]:
    from bench import names

    chosen: list[str] = []
    while len(chosen) < count:
        woman = rng.random() < 0.45
        family = rng.choices(names.FAMILIES, names.FAMILY_WEIGHTS)[0]
        middle = rng.choice(names.WOMEN_MIDDLE if woman else names.MEN_MIDDLE)
        given = rng.choice(names.WOMEN_GIVEN if woman else names.MEN_GIVEN)
        name = f"{family} {middle} {given}"
        if name not in chosen:
            chosen.append(name)
    return chosen


def build_election(candidates: int) -> tuple[int, int]:
    """The certified election and a secretary of its union: (election pk, user pk)."""
    from django.contrib.auth import get_user_model

    from congresses import parts, services
    from congresses.elections import certification, rounds
    from congresses.elections import services as elections
    from congresses.elections.models import ElectionKind
    from members import services as member_services
    from members.models import BranchKind, Grant, Role

    rng = random.Random(2022)
    root = member_services.create_branch(
        parent=None,
        code="vgcl",
        name="Tổng Liên đoàn Lao động Việt Nam",
        kind=BranchKind.CONFEDERATION,
    )
    federation = member_services.create_branch(
        parent=root,
        code="ldld-hp",
        name="Liên đoàn Lao động thành phố Hải Phòng",
        kind=BranchKind.FEDERATION,
    )
    union = member_services.create_branch(
        parent=federation,
        code="cdcs-song-hong",
        name="Công đoàn cơ sở Công ty Cổ phần Đóng tàu Sông Hồng",
        kind=BranchKind.GRASSROOTS,
    )
    term = services.create_term(branch=union, starts_on=DAY, ordinal=6)
    congress = services.create_congress(
        term=term,
        held_on=DAY,
        summoned=450,
        present=432,
        committee_size=SEATS,
        venue="Hội trường Công ty Cổ phần Đóng tàu Sông Hồng",
    )
    congress = services.record_held(congress)
    people = _names(candidates + 5, rng)
    roles = ["Trưởng ban", "Phó Trưởng ban", "Thành viên", "Thành viên", "Thành viên"]
    for name, role in zip(people[candidates:], roles, strict=True):
        parts.add_body_member(congress=congress, body="counting_board", name=name, role=role)
    election = elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE)
    ids = [
        elections.add_candidate(election=election, person_name=name).pk
        for name in people[:candidates]
    ]
    # Round 1: 430 collected, more than half is 216. Fourteen clear winners, two tied at 250
    # for the last seat, the rest below the threshold.
    first = [410 - 10 * i for i in range(SEATS - 1)] + [250, 250]
    rest = candidates - len(first)
    cap = min(200, (SEATS * 426 - sum(first)) // rest)  # each ballot keeps at most 15 names
    first += [rng.randint(cap // 4, cap) for _ in range(rest)]
    rounds.enter_round(
        election=election,
        issued=432,
        collected=430,
        valid=426,
        invalid=4,
        votes=dict(zip(ids, first, strict=True)),
    )
    tied = ids[SEATS - 1 : SEATS + 1]
    rounds.enter_round(
        election=election,
        issued=432,
        collected=428,
        valid=426,
        invalid=2,
        blank=3,
        votes=dict(zip(tied, [231, 192], strict=True)),
    )
    certification.certify(election=election)
    account = get_user_model().objects.create_user(username="bench-secretary")  # no password
    Grant.objects.create(user=account, branch=union, role=Role.SECRETARY)
    return election.pk, account.pk


def page_count(pdf: bytes) -> str:
    """The page count from poppler's pdfinfo (a Debian package of `make install`)."""
    if not shutil.which("pdfinfo"):
        return "?"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True)  # noqa: S603, S607
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return line.split()[1]
    return "?"


def measure(election_pk: int, user_pk: int, repeat: int) -> object:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from bench.measure import Section, Timing, count_queries, time_it
    from congresses.elections.models import Election
    from reports.datasets.minutes import counting_minutes
    from reports.formats.minutes import counting_minutes_pdf, counting_minutes_workbook

    def load() -> Election:
        return Election.objects.select_related("congress__term__branch").get(pk=election_pk)

    minutes = counting_minutes(load())
    started = time.perf_counter()
    pdf = counting_minutes_pdf(minutes, language="vi")
    cold = time.perf_counter() - started
    workbook = counting_minutes_workbook(minutes, language="vi")
    section = Section("Documents: the counting minutes (reports.formats.minutes)")
    section.notes.append(
        f"{len(minutes.candidates)} candidates, {minutes.seats} seats, {len(minutes.rounds)} "
        f"rounds, a board of {len(minutes.board)}; PDF {page_count(pdf)} pages, "
        f"{len(pdf):,} bytes; xlsx {len(workbook):,} bytes; dataset "
        f"{count_queries(lambda: counting_minutes(load()))} queries"
    )
    logging.getLogger("unionrec.reports").setLevel(logging.WARNING)  # one line per export
    logging.getLogger("unionrec.access_log").setLevel(logging.WARNING)  # one line per download
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, no collectstatic
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(pk=user_pk))
    url = reverse("reports:minutes_pdf", args=[election_pk])

    def download() -> None:
        response = client.get(url, {"lang": "vi"})
        assert response.status_code == 200, response.status_code

    target = "≤ 1 s (performance.md)"
    none = "no target (reference)"
    section.timings += [
        Timing("PDF vi, first in the process (1 run)", [cold], None, "reference: cold caches"),
        Timing(
            "dataset (counting_minutes)",
            time_it(lambda: counting_minutes(load()), repeat),
            None,
            none,
        ),
        Timing(
            "PDF vi",
            time_it(lambda: counting_minutes_pdf(minutes, language="vi"), repeat),
            PDF_TARGET_MS,
            target,
        ),
        Timing(
            "PDF en",
            time_it(lambda: counting_minutes_pdf(minutes, language="en"), repeat),
            PDF_TARGET_MS,
            target,
        ),
        Timing("PDF download, whole request", time_it(download, repeat), PDF_TARGET_MS, target),
        Timing(
            "xlsx vi",
            time_it(lambda: counting_minutes_workbook(minutes, language="vi"), repeat),
            None,
            none,
        ),
    ]
    return section


def load_seed() -> int:
    """The demo data of the seed case; the pk of the term hp-skhcn 2017–2022."""
    from congresses import demo as congress_demo
    from congresses.models import Term
    from congresses.resolutions import demo as demo_resolutions
    from members import demo as member_demo

    member_demo.load()
    congress_demo.load()
    demo_resolutions.load()
    return Term.objects.get(branch__code="hp-skhcn", label="2017–2022").pk


def measure_summary(term_pk: int, repeat: int) -> object:
    """The term summary (dataset, PDF in each language, the download, Excel) and the
    dossier, as of 01/11/2022 (within the term, so the committee and the targets of that day)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from bench.measure import Section, Timing, count_queries, time_it
    from congresses.models import Term
    from reports.datasets.dossier import dossier
    from reports.datasets.summary import term_summary
    from reports.formats.dossier import dossier_pdf
    from reports.formats.summary import term_summary_pdf, term_summary_workbook

    term = Term.objects.get(pk=term_pk)
    day = date(2022, 11, 1)
    summary = term_summary(term, as_of=day)
    pdf = term_summary_pdf(summary, language="vi")
    whole = dossier_pdf(dossier(term, as_of=day), language="vi")
    section = Section(
        "Documents: the term summary and the congress dossier (reports.formats.summary, "
        "reports.formats.dossier)"
    )
    section.notes.append(
        f"seed case hp-skhcn 2017–2022: {len(summary.sub_units)} sub-units, "
        f"{len(summary.committee)} posts, {len(summary.elections)} elections, "
        f"{len(summary.targets)} targets; summary PDF {page_count(pdf)} pages, {len(pdf):,} bytes; "
        f"dossier PDF {page_count(whole)} pages, {len(whole):,} bytes; dataset "
        f"{count_queries(lambda: term_summary(term, as_of=day))} queries"
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="secretary"))  # of hp-skhcn
    url = reverse("reports:term_summary_pdf", args=[term_pk])

    def download() -> None:
        response = client.get(url, {"lang": "vi", "as_of": "01/11/2022"})
        assert response.status_code == 200, response.status_code

    target = "≤ 1 s (performance.md)"
    none = "no target (reference)"
    section.timings += [
        Timing(
            "dataset (term_summary)",
            time_it(lambda: term_summary(term, as_of=day), repeat),
            None,
            none,
        ),
        Timing(
            "summary PDF vi",
            time_it(lambda: term_summary_pdf(summary, language="vi"), repeat),
            PDF_TARGET_MS,
            target,
        ),
        Timing(
            "summary PDF en",
            time_it(lambda: term_summary_pdf(summary, language="en"), repeat),
            PDF_TARGET_MS,
            target,
        ),
        Timing(
            "summary PDF download, whole request", time_it(download, repeat), PDF_TARGET_MS, target
        ),
        Timing(
            "summary xlsx vi",
            time_it(lambda: term_summary_workbook(summary, language="vi"), repeat),
            None,
            none,
        ),
        Timing(
            "dossier PDF vi (datasets and PDF)",
            time_it(lambda: dossier_pdf(dossier(term, as_of=day), language="vi"), repeat),
            None,
            "no target in performance.md (reported)",
        ),
    ]
    return section


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="unionrec-bench-documents-") as folder:
        _setup_django(Path(folder) / "documents.sqlite3")
        from django.core.management import call_command

        from bench.__main__ import print_section, say

        say("unionrec bench: documents (a throwaway SQLite database, deleted afterwards)")
        phase = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        election_pk, user_pk = build_election(args.candidates)
        say(f"migrate and build the election: {time.perf_counter() - phase:.1f} s")
        print_section(measure(election_pk, user_pk, args.repeat))
        phase = time.perf_counter()
        term_pk = load_seed()
        say(f"load the seed case's demo data: {time.perf_counter() - phase:.1f} s")
        print_section(measure_summary(term_pk, args.repeat))
        from django.db import connections

        connections.close_all()  # before the folder and its database go
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
