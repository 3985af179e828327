from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalculatorConfig(AppConfig):
    name = "jinchuang.calculator"
    verbose_name = _("政策计算器")
