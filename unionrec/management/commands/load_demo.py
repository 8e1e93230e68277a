"""The demo data of the whole project: the register (members.demo), the terms, congresses and
elections (congresses.demo) and the resolutions (congresses.resolutions.demo). A command of
the project, since it loads every app's data and members may not import congresses."""

import contextlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation.reloader import translation_file_changed

from congresses import demo as congress_demo
from congresses.resolutions import demo as demo_resolutions
from members import demo


def stale_catalogues() -> list[Path]:
    """The project's message catalogues (.po under LOCALE_PATHS) whose compiled .mo is
    missing or older: the .mo files are not kept in git, so a fresh checkout has none."""
    stale = []
    for base in settings.LOCALE_PATHS:
        for po in sorted(Path(base).glob("*/LC_MESSAGES/*.po")):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                stale.append(po)
    return stale


def compile_catalogues() -> bool:
    """Compile the project's stale catalogues and drop the translations already loaded, so the
    texts the demo drafts (review items, through gettext) come out in Vietnamese whatever the
    order in which the machine was set up. Only LOCALE_PATHS are compiled: compilemessages
    is run from inside the first of them with every subdirectory ignored, so it neither walks
    the checkout (.venv) nor touches other packages' catalogues. True if anything was
    compiled."""
    if not settings.LOCALE_PATHS or not stale_catalogues():
        return False
    try:
        with contextlib.chdir(settings.LOCALE_PATHS[0]):
            call_command("compilemessages", ignore_patterns=["*"], verbosity=0)
    except CommandError as error:
        raise CommandError(
            "The demo's texts are written in Vietnamese, which needs the message catalogues "
            f"compiled first (make compilemessages): {error}"
        ) from error
    translation_file_changed(sender=None, file_path=Path("django.mo"))
    return True


class Command(BaseCommand):
    help = (
        "Create what is missing of the demo data: the union of the Hải Phòng Department of "
        "Science and Technology (hp-skhcn) with its 6 sub-units and 185 members on 23/12/2017, "
        "the branches above it, its terms 2012–2017, 2017–2022 and 2022–2027 with their "
        "congresses, the certified elections of the 2017 committee (9 seats, 11 candidates) and "
        "chair, the resolutions 2017–2022 (with yearly progress and its reviews) and "
        "2022–2027, and the demo logins (password 'demo'). Running it again changes nothing "
        "and never removes what users entered; --reset deletes the demo tree and the demo "
        "users first and starts over. The message catalogues are compiled first if they are "
        "missing or out of date, and every text the demo stores is Vietnamese."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the demo tree (everything under vgcl) and the demo users, then reload",
        )

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        if compile_catalogues():
            self.stdout.write("compiled the message catalogues")
        with translation.override("vi"):  # the demo is a Vietnamese union's record
            if reset:
                congress_demo.remove()
            loaded = [*demo.load(reset=reset), *congress_demo.load(), *demo_resolutions.load()]
        for line in loaded:
            self.stdout.write(line)
        self.stdout.write("Demo logins (password: demo):")
        for username, what in demo.LOGINS:
            self.stdout.write(f"  {username:<10} {what}")
