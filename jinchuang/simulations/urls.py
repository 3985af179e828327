from django.urls import path

from jinchuang.simulations import views

app_name = "simulations"

urlpatterns = [
    path("", views.simulation_page, name="page"),
    path("<int:run_id>/", views.simulation_run, name="run"),
    path("<int:run_id>/progress/", views.simulation_progress, name="progress"),
]
