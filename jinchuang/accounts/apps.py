from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jinchuang.accounts"
    label = "accounts"
    verbose_name = _("机构与用户")

    def ready(self) -> None:
        import jinchuang.accounts.sms  # noqa: F401  (registers the SMS delivery task)
