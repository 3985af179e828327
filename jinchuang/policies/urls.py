from django.urls import path

from jinchuang.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.library, name="library"),
    path("compare/", views.compare, name="compare"),
    path("<slug:measure_id>/", views.measure, name="measure"),
    path("<slug:measure_id>/guide/template.xlsx", views.guide_template_download, name="guide-template"),
]
