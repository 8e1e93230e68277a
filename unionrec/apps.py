from django.apps import AppConfig


class UnionrecConfig(AppConfig):
    name = "unionrec"
    verbose_name = "unionrec"

    def ready(self) -> None:
        from . import (
            lockout,  # noqa: F401 - connects the failed-login signal
            tokens,  # noqa: F401 - a changed password ends the user's API tokens
        )
