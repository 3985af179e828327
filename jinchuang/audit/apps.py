from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "jinchuang.audit"
    label = "audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        from jinchuang.audit import receivers  # noqa: F401  (connects the login/logout receivers)
