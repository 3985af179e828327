from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsApiConfig(AppConfig):
    name = "jinchuang.applications_api"
    label = "applications_api"
    verbose_name = _("申报接口(API)")
