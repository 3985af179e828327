from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "jinchuang.records"
    label = "records"
    verbose_name = _("机构档案")

    def ready(self) -> None:
        # registers the task "records.import" (jinchuang/tasks) in every process
        from jinchuang.records import (
            imports,  # noqa: F401
            jobs,  # noqa: F401  (records.subscriptions_notify)
        )
