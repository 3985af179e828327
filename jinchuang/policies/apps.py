from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "jinchuang.policies"
    verbose_name = _("政策库")

    def ready(self) -> None:
        # the engine (jinchuang.policy) imports no Django: the site gives it its translation (jinchuang.policy.i18n)
        from django.utils.translation import get_language, gettext

        from jinchuang.policy import i18n

        i18n.install(gettext, get_language)
