from django.apps import AppConfig
from django.db.models.signals import post_migrate


class UnionrecConfig(AppConfig):
    name = "unionrec"
    verbose_name = "unionrec"

    def ready(self) -> None:
        from . import (
            estimates,  # noqa: F401 - connects the request signals that bound its memory
            lockout,  # noqa: F401 - connects the failed-login signal
            middleware,  # noqa: F401 - a login notes when the session started
            tokens,  # noqa: F401 - a changed password ends the user's API tokens
        )
        from .history_lock import on_post_migrate

        # SQLite drops a table's triggers when a migration rebuilds it: put them back.
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="unionrec.history_lock")
