from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimulationsConfig(AppConfig):
    name = "jinchuang.simulations"
    verbose_name = _("预算模拟")
