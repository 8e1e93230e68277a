from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from members.erasure import erase_member
from members.models import Member


class Command(BaseCommand):
    help = (
        "Erase a member: their name, card number, full date of birth (the year stays) and any "
        "text naming them leave the whole database, history, search index, import previews "
        "and files, admin log and the file's free space included; every count and vote total "
        "stays. Prints what was changed and what was kept (certified election results) and "
        "why. Exits with status 1 for an unknown id, a member already erased or no reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("member_id", metavar="ID", type=int, help="the member's id")
        parser.add_argument(
            "--reason", required=True, metavar="TEXT", help="why (kept in the history)"
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="record the erasure as done by this user; default: no user",
        )
        parser.add_argument(
            "--lang", choices=["vi", "en"], default="vi", help="the language of the report"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        member = Member.objects.filter(pk=options["member_id"]).first()
        if member is None:
            raise CommandError(f"No member has the id {options['member_id']}.")
        by = None
        if options["user"]:
            by = get_user_model().objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(f"No user is called {options['user']!r}.")
        with translation.override(options["lang"]):
            try:
                result = erase_member(member, reason=options["reason"], by=by)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            for line in result.lines():
                self.stdout.write(line)
