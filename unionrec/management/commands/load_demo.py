"""The demo data of the whole project: the register (members.demo), the terms, congresses and
elections (congresses.demo) and the resolutions (congresses.resolutions.demo). A command of
the project, since it loads every app's data and members may not import congresses."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from congresses import demo as congress_demo
from congresses.resolutions import demo as demo_resolutions
from members import demo


class Command(BaseCommand):
    help = (
        "Create what is missing of the demo data: the union of the Hải Phòng Department of "
        "Science and Technology (hp-skhcn) with its 6 sub-units and 185 members on 23/12/2017, "
        "the branches above it, its terms 2012–2017, 2017–2022 and 2022–2027 with their "
        "congresses, the certified elections of the 2017 committee (9 seats, 11 candidates) and "
        "chair, the resolutions 2017–2022 (with yearly progress and its reviews) and "
        "2022–2027, and the demo logins (password 'demo'). Running it again changes nothing "
        "and never removes what users entered; --reset deletes the demo tree and the demo "
        "users first and starts over."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the demo tree (everything under vgcl) and the demo users, then reload",
        )

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        if reset:
            congress_demo.remove()
        loaded = [*demo.load(reset=reset), *congress_demo.load(), *demo_resolutions.load()]
        for line in loaded:
            self.stdout.write(line)
        self.stdout.write("Demo logins (password: demo):")
        for username, what in demo.LOGINS:
            self.stdout.write(f"  {username:<10} {what}")
