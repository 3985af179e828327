from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "jinchuang.applications"
    label = "applications"
    verbose_name = _("申报、评审与拨付")

    def ready(self) -> None:
        import jinchuang.applications.checks
        import jinchuang.applications.jobs  # noqa: F401  (registers the background tasks)
        from jinchuang.applications.receivers import connect

        connect()
