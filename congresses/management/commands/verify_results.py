from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congresses.elections.certification import verify
from congresses.elections.models import Election, ElectionStatus


class Command(BaseCommand):
    help = (
        "Check every certified election result against the SHA-256 digest stored when it was "
        "certified: a round or a vote changed behind the application (an SQL UPDATE, a "
        "restored backup) no longer matches. Prints each mismatch and exits with status 1 if "
        "there is any; 0 when all match."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--branch",
            metavar="CODE",
            help="only the elections of this branch and its subtree",
        )

    def handle(self, *args: Any, branch: str | None = None, **options: Any) -> None:
        certified = Election.objects.filter(status=ElectionStatus.CERTIFIED).select_related(
            "congress__term__branch"
        )
        if branch:
            from members.models import Branch

            root = Branch.objects.filter(code=branch).first()
            if root is None:
                raise CommandError(f"No branch has the code {branch!r}.")
            certified = certified.filter(congress__term__branch__path__subtree=root.path)
        checked, broken = 0, []
        for election in certified.order_by("pk").iterator():
            checked += 1
            if not verify(election):
                broken.append(election)
                self.stdout.write(
                    f"MISMATCH election {election.pk} ({election.kind}, "
                    f"{election.congress.term.branch.code} {election.congress.term.label}, "
                    f"revision {election.revision})"
                )
        self.stdout.write(f"{checked} certified result(s) checked, {len(broken)} mismatch(es).")
        if broken:
            raise SystemExit(1)
