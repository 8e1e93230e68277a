from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Register")

    def ready(self) -> None:
        import openpyxl.xml

        # openpyxl guards against XML bombs only with defusedxml installed
        # (reliability-security §2, test 25).
        if not openpyxl.xml.DEFUSEDXML:
            raise RuntimeError("defusedxml must be installed: openpyxl reads untrusted files")
