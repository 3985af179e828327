from django.urls import path

from jinchuang.simulations import views

app_name = "simulations"

urlpatterns = [
    path("", views.simulation_page, name="page"),
    path("<int:run_id>/", views.simulation_run, name="run"),
    path("<int:run_id>/progress/", views.simulation_progress, name="progress"),
    path("scenarios/", views.scenario_list, name="scenarios"),
    path("scenarios/new/", views.scenario_edit, name="scenario_new"),
    path("scenarios/measures/", views.scenario_measures, name="scenario_measures"),
    path("scenarios/parameters/", views.scenario_parameters, name="scenario_parameters"),
    path("scenarios/<int:scenario_id>/", views.scenario_detail, name="scenario"),
    path("scenarios/<int:scenario_id>/edit/", views.scenario_edit, name="scenario_edit"),
    path("compare/", views.scenario_compare, name="compare"),
]
