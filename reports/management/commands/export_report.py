import argparse
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from congresses.domain import normalize_term_label
from congresses.models import Congress, Term
from members.models import Branch
from members.statistics import today
from unionrec.access import Scope
from unionrec.days import parse_iso_day

KINDS = ("term-summary", "statistics", "representation", "dossier", "roster")
PDF_ONLY = {"dossier"}


class Command(BaseCommand):
    help = (
        "Write a report of a branch to a file, as PDF or Excel: term-summary (a term's "
        "congress, figures, committee, elections, targets and reviews), statistics (members "
        "and women of the subtree on a day), representation (women among members, delegates, "
        "candidates and those elected at the term's congress), dossier (the congress's whole "
        "file in one PDF; PDF only) or roster (the members of the subtree; the PDF has a size "
        "limit, UNIONREC_ROSTER_PDF_MAX_ROWS). Exits with status 1 and a message for a branch, "
        "term or day that does not exist or a format a kind is not offered in, and with "
        "status 2 for an unknown kind, format or option."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
        parser.add_argument("--branch", required=True, metavar="CODE", help="the branch's code")
        parser.add_argument(
            "--term",
            metavar="LABEL",
            help="the term, e.g. 2017-2022 or 2017–2022 (default: the term running on "
            "--as-of, else the latest)",
        )
        parser.add_argument(
            "--as-of",
            type=_day,
            metavar="YYYY-MM-DD",
            help="the day of the figures (default today)",
        )
        parser.add_argument("--format", required=True, choices=["pdf", "xlsx"], dest="fmt")
        parser.add_argument("--output", required=True, metavar="PATH", help="the file to write")
        parser.add_argument(
            "--lang", choices=["vi", "en"], default="vi", help="the report's language (default vi)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind, fmt = options["kind"], options["fmt"]
        if kind in PDF_ONLY and fmt != "pdf":
            raise CommandError(f"The {kind} is offered as PDF only.")
        branch = Branch.objects.filter(code=options["branch"]).first()
        if branch is None:
            raise CommandError(f"No branch has the code {options['branch']!r}.")
        day = options["as_of"] or today()
        if options["term"] and kind in {"statistics", "roster"}:
            self._term(branch, options["term"], day)  # a term that does not exist is refused
        output = Path(options["output"])
        if not output.parent.exists():
            raise CommandError(f"The folder {output.parent} does not exist.")
        with translation.override(options["lang"]):
            data = self._render(kind, fmt, branch, day, options, output)
        if data is not None:
            output.write_bytes(data)
        self.stdout.write(f"Wrote {output} ({output.stat().st_size:,} bytes).")

    def _term(self, branch: Branch, label: str | None, day: date) -> Term:
        terms = Term.objects.filter(branch=branch)
        if label:
            term = terms.filter(label=normalize_term_label(label)).first()
            if term is None:
                known = ", ".join(terms.values_list("label", flat=True)) or "none"
                raise CommandError(f"{branch.code} has no term {label!r} (terms: {known}).")
            return term
        term = terms.current_on(day).first() or terms.order_by("-starts_on").first()
        if term is None:
            raise CommandError(f"{branch.code} has no term recorded.")
        return term

    def _congress(self, term: Term) -> Congress:
        congress = Congress.objects.filter(term=term).first()
        if congress is None:
            raise CommandError(f"The term {term.label} has no congress recorded.")
        return congress

    def _render(
        self,
        kind: str,
        fmt: str,
        branch: Branch,
        day: date,
        options: dict[str, Any],
        output: Path,
    ) -> bytes | None:
        language = options["lang"]
        if kind == "term-summary":
            from reports.datasets.summary import term_summary
            from reports.formats.summary import term_summary_pdf, term_summary_workbook

            summary = term_summary(self._term(branch, options["term"], day), as_of=day)
            if fmt == "pdf":
                return term_summary_pdf(summary, language=language)
            return term_summary_workbook(summary, language=language)
        if kind == "dossier":
            from reports.datasets.dossier import dossier
            from reports.formats.dossier import dossier_pdf

            term = self._term(branch, options["term"], day)
            return dossier_pdf(dossier(term, as_of=day), language=language)
        if kind == "statistics":
            from reports.datasets.statistics import statistics_report
            from reports.formats.statistics import statistics_pdf, statistics_workbook

            report = statistics_report(branch, as_of=day)
            if fmt == "pdf":
                return statistics_pdf(report, language=language)
            return statistics_workbook(report, language=language)
        if kind == "representation":
            from reports.datasets.representation import representation
            from reports.formats.representation import representation_pdf, representation_workbook

            congress = self._congress(self._term(branch, options["term"], day))
            found = representation(congress, as_of=day)
            if fmt == "pdf":
                return representation_pdf(found, language=language)
            return representation_workbook(found, language=language)
        return self._roster(branch, fmt, language, output)

    def _roster(self, branch: Branch, fmt: str, language: str, output: Path) -> bytes | None:
        """Every member of the subtree, as the member list shows a superuser (the command line
        is the server's administrator): dates of birth, masked card numbers. The workbook is
        streamed to `output` (flat memory); the PDF stops at UNIONREC_ROSTER_PDF_MAX_ROWS."""
        from members.disclosure import list_disclosure
        from reports.datasets.roster import build_roster, roster_queryset
        from reports.formats.roster import RosterTooLong, roster_pdf, roster_xlsx

        queryset = roster_queryset(ADMINISTRATOR, branch, {"branch": branch.code})
        sight = list_disclosure(ADMINISTRATOR, branch)
        roster = build_roster(queryset, language=language, sight=sight)
        if fmt == "xlsx":
            partial = output.with_name(output.name + ".part")
            try:
                roster_xlsx(roster, language=language, out=str(partial))
                partial.replace(output)
            finally:
                partial.unlink(missing_ok=True)
            return None
        try:
            return roster_pdf(roster, title=branch.name)
        except RosterTooLong as refused:
            raise CommandError(
                f"The roster of {branch.code} has more than {refused.limit:,} members, the most "
                "a roster PDF holds (UNIONREC_ROSTER_PDF_MAX_ROWS): write it with --format "
                "xlsx."
            ) from None


def _day(text: str) -> date:
    try:
        return parse_iso_day(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


class _Administrator:
    """The command line's reader: the server's administrator, who may read every branch."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    _unionrec_scope = Scope(superuser=True)


ADMINISTRATOR = _Administrator()
