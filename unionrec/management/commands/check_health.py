"""`manage.py check_health`: the checks of `/healthz` (unionrec.health), one line each, for cron
and systemd: exit status 0 when every part is healthy, 1 otherwise."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from unionrec.health import checks


class Command(BaseCommand):
    help = (
        "Check the database (it answers), the migrations (none waiting) and the task worker "
        "(a heartbeat within UNIONREC_HEALTH_WORKER_SECONDS, 60). Prints one line per part; "
        "exits with status 1 when one fails."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        found = checks()
        for check in found:
            self.stdout.write(f"{check.name}: {check.detail}")
        failing = [check.name for check in found if not check.ok]
        if failing:
            raise CommandError(f"unhealthy: {', '.join(failing)}", returncode=1)
