from django.contrib import admin

from jinchuang.simulations.models import Scenario, SimulationRun


@admin.register(SimulationRun)
class SimulationRunAdmin(admin.ModelAdmin[SimulationRun]):
    list_display = ("id", "reform_name", "scenario", "population", "first_year", "last_year", "status", "created_at")
    list_filter = ("status", "population")
    readonly_fields = [f.name for f in SimulationRun._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin[Scenario]):
    """Scenarios are made on the pages (the builder checks every change); the admin reads them."""

    list_display = ("id", "name", "author", "updated_at")
    search_fields = ("name", "description")
    readonly_fields = [f.name for f in Scenario._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
