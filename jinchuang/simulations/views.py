"""Budget simulation pages: the form, a run's page, and the progress fragment HTMX polls."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from jinchuang.simulations import selectors
from jinchuang.simulations.forms import SimulationForm
from jinchuang.simulations.models import SimulationRun
from jinchuang.simulations.populations import DEMO_POPULATION, population_list
from jinchuang.simulations.services import SimulationInputError, simulation_resume_if_stale, simulation_start


def _form_context(form: SimulationForm) -> dict[str, Any]:
    populations = population_list()
    if not form.population and populations:
        names = [p.name for p in populations]
        form.population = DEMO_POPULATION if DEMO_POPULATION in names else names[0]
    return {
        "form": form,
        "populations": populations,
        "examples": selectors.EXAMPLES,
        "recent": selectors.run_recent(),
    }


@require_http_methods(["GET", "POST"])
def simulation_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SimulationForm.from_post(request.POST)
        years = form.years()
        if years is not None:
            try:
                run = simulation_start(
                    population=form.population,
                    reform_text=form.reform_text,
                    years=years,
                    actor=request.user,
                    request=request,
                )
            except SimulationInputError as exc:
                form.problems.extend(exc.problems)
            else:
                return redirect("simulations:run", run_id=run.pk)
        return render(request, "simulations/page.html", _form_context(form), status=400)
    form = SimulationForm(reform_text=selectors.DEFAULT_REFORM)
    key = request.GET.get("example")
    if key:
        example = selectors.example_reform(key)
        if example is None:
            raise Http404("没有这个示例方案")
        form.reform_text = example.text
    return render(request, "simulations/page.html", _form_context(form))


def _run_context(run: SimulationRun) -> dict[str, Any]:
    return {"run": run, "report": selectors.run_report(run)}


@require_GET
def simulation_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(SimulationRun, pk=run_id)
    form = SimulationForm(
        population=run.population,
        first_year=str(run.first_year),
        last_year=str(run.last_year),
        reform_text=run.reform_text,
    )
    context = _form_context(form)
    context.update(_run_context(run))
    return render(request, "simulations/run.html", context)


@require_GET
def simulation_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(SimulationRun, pk=run_id)
    simulation_resume_if_stale(run)  # a run whose worker died is picked up again
    return render(request, "simulations/_status.html", _run_context(run))
