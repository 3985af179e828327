from django.urls import path

from jinchuang.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.library, name="library"),
    path("compare/", views.compare, name="compare"),
    path("<slug:measure_id>/", views.measure, name="measure"),
]
