from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressesConfig(AppConfig):
    name = "congresses"
    verbose_name = _("Congresses")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .elections.db_rules import on_post_migrate

        # SQLite drops a table's triggers when a migration rebuilds the table: put them back.
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="congresses.db_rules")
