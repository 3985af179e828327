from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsWebConfig(AppConfig):
    """Pages of the application workflow (申报、初审、评审、公示、拨付); the core is jinchuang.applications."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "jinchuang.applications_web"
    label = "applications_web"
    verbose_name = _("在线申报页面")
