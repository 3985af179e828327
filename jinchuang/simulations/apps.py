from django.apps import AppConfig


class SimulationsConfig(AppConfig):
    name = "jinchuang.simulations"
    verbose_name = "预算模拟"
