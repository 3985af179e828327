"""Root URLs of 晋创通 JinChuang."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("晋创通 管理后台")
admin.site.site_title = _("晋创通")
admin.site.index_title = _("后台管理")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("jinchuang.web.urls")),
]
