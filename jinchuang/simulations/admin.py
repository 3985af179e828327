from django.contrib import admin

from jinchuang.simulations.models import SimulationRun


@admin.register(SimulationRun)
class SimulationRunAdmin(admin.ModelAdmin[SimulationRun]):
    list_display = ("id", "reform_name", "population", "first_year", "last_year", "status", "created_at")
    list_filter = ("status", "population")
    readonly_fields = [f.name for f in SimulationRun._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
