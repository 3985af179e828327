from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "jinchuang.policies"
    verbose_name = "政策库"
