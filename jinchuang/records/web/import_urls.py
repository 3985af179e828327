"""Department data import pages, mounted at /records/imports/ (jinchuang/urls.py)."""

from django.urls import path

from jinchuang.records.web import imports_views

app_name = "record_imports"

urlpatterns = [
    path("", imports_views.import_list, name="list"),
    path("new/", imports_views.import_new, name="new"),
    path("new/<int:evidence_id>/", imports_views.import_mapping, name="mapping"),
    path("<int:pk>/", imports_views.import_detail, name="detail"),
    path("<int:pk>/progress/", imports_views.import_progress, name="progress"),
]
