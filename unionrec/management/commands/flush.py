"""`manage.py flush`: Django's, run through unionrec.history_lock.unlocked(), since on SQLite
Django empties tables with DELETE, which the history tables' triggers refuse otherwise."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from unionrec.history_lock import unlocked


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with unlocked(options["database"]):
            super().handle(**options)
