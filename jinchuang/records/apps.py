from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "jinchuang.records"
    label = "records"
    verbose_name = _("机构档案")
