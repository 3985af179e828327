"""Root URLs of 晋创通 JinChuang."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from jinchuang.api import api

admin.site.site_header = _("晋创通 管理后台")
admin.site.site_title = _("晋创通")
admin.site.index_title = _("后台管理")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("policies/", include("jinchuang.policies.urls")),
    path("calculator/", include("jinchuang.calculator.urls")),
    path("applications/", include("jinchuang.applications.web.urls")),
    path("simulations/", include("jinchuang.simulations.urls")),
    path("records/imports/", include("jinchuang.records.web.import_urls")),
    path("records/subscriptions/", include("jinchuang.records.web.subscription_urls")),
    path("records/", include("jinchuang.records.web.urls")),
    path("", include("jinchuang.web.urls")),
]

handler403 = "jinchuang.web.views.permission_denied"
handler404 = "jinchuang.web.views.page_not_found"
handler500 = "jinchuang.web.views.server_error"
