from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from congresses.models import Term
from congresses.record_checks import CHECKS, findings
from members.models import Branch


class Command(BaseCommand):
    help = (
        "List every stored record that breaks a rule the application now enforces (a record "
        "entered before the rule, or changed behind the application): one line per problem "
        "(a record that breaks two rules has two lines) with its branch, term, record, what is "
        "wrong and what to fix, then the number of problems. Nothing is changed. Exits with "
        "status 1 if any problem is listed, 0 when all hold."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--branch", metavar="CODE", help="only the terms of this branch and its subtree"
        )
        parser.add_argument(
            "--rule",
            action="append",
            choices=[name for name, _check in CHECKS],
            help="only this rule (may be given more than once)",
        )

    def handle(
        self, *args: Any, branch: str | None = None, rule: list[str] | None = None, **options: Any
    ) -> None:
        terms = Term.objects.select_related("branch").order_by("branch__path", "starts_on")
        if branch:
            root = Branch.objects.filter(code=branch).first()
            if root is None:
                raise CommandError(f"No branch has the code {branch!r}.")
            terms = terms.filter(branch__path__subtree=root.path)
        count = 0  # problems, one per line: a record that breaks two rules counts twice
        for found in findings(terms, rule):
            count += 1
            self.stdout.write(
                f"{found.term.branch.code} {found.term.label} · {found.record}: "
                f"{found.problem} {_('To fix:')} {found.fix} ({found.url})"
            )
        self.stdout.write(
            _("%(terms)s term(s) checked, %(count)s problem(s) to fix.")
            % {"terms": terms.count(), "count": count}
        )
        if count:
            raise SystemExit(1)
