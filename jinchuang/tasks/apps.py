from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "jinchuang.tasks"
    label = "tasks"
    verbose_name = _("后台任务")
