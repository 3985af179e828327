from django.apps import AppConfig


class CalculatorConfig(AppConfig):
    name = "jinchuang.calculator"
    verbose_name = "政策计算器"
