"""Budget simulation pages: the form, a run's page, and the progress fragment HTMX polls."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jinchuang.accounts.models import User
from jinchuang.simulations import selectors
from jinchuang.simulations.builder import (
    DISABLE,
    DISABLE_LABEL,
    MAX_ROWS,
    UNIT_HELP,
    VALLEYS,
    ChangeRow,
    choices_by_valley,
    default_choices,
    describe,
    row_from_stored,
)
from jinchuang.simulations.forms import ScenarioForm, SimulationForm
from jinchuang.simulations.models import RunStatus, Scenario, SimulationRun
from jinchuang.simulations.populations import DEMO_POPULATION, population_list
from jinchuang.simulations.services import (
    SimulationInputError,
    scenario_run_start,
    scenario_save,
    simulation_resume_if_stale,
    simulation_start,
)


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
        "scenarios": Scenario.objects.select_related("author").order_by("-updated_at", "-pk")[:10],
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
        form.open_yaml = True
        return render(request, "simulations/page.html", _form_context(form), status=400)
    form = SimulationForm(reform_text=selectors.DEFAULT_REFORM)
    if request.GET.get("example"):
        form.open_yaml = True
    key = request.GET.get("example")
    if key:
        example = selectors.example_reform(key)
        if example is None:
            raise Http404(_("没有这个示例方案"))
        form.reform_text = example.text
    return render(request, "simulations/page.html", _form_context(form))


def _run_context(run: SimulationRun) -> dict[str, Any]:
    return {"run": run, "report": selectors.run_report(run)}


@require_GET
def simulation_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(SimulationRun.objects.select_related("scenario"), pk=run_id)
    form = SimulationForm(
        population=run.population,
        first_year=str(run.first_year),
        last_year=str(run.last_year),
        reform_text=run.reform_text,
        open_yaml=True,
    )
    context = _form_context(form)
    context.update(_run_context(run))
    return render(request, "simulations/run.html", context)


@require_GET
def simulation_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(SimulationRun, pk=run_id)
    simulation_resume_if_stale(run)  # a run whose worker died is picked up again
    return render(request, "simulations/_status.html", _run_context(run))


# ---- saved scenarios: built from the catalog's named parameters, no YAML -------------------------------------


def _builder_context(form: ScenarioForm, scenario: Scenario | None) -> dict[str, Any]:
    choices = default_choices()
    by_id = {m.id: m for m in choices}
    rows = [
        {"n": n, "row": row, "measure": by_id.get(row.measure), "valleys": choices_by_valley(choices, row.valley)}
        for n, row in enumerate(form.rows)
    ]
    return {
        "form": form,
        "scenario": scenario,
        "rows": rows,
        "row_count": len(form.rows),
        "cities": VALLEYS,
        "disable_value": DISABLE,
        "disable_label": DISABLE_LABEL,
        "unit_help": UNIT_HELP,
        "max_rows": MAX_ROWS,
    }


def _own(request: HttpRequest, scenario: Scenario) -> None:
    if scenario.author_id != request.user.pk:
        raise PermissionDenied(_("只有方案的作者可以修改方案"))


@login_required
@require_http_methods(["GET", "POST"])
def scenario_edit(request: HttpRequest, scenario_id: int | None = None) -> HttpResponse:
    """Create (no id) or edit a scenario. Buttons: add a row, remove row N, refresh the parameter lists
    (without JavaScript), save. Every problem is shown beside its field and the inputs are kept."""
    scenario = get_object_or_404(Scenario, pk=scenario_id) if scenario_id is not None else None
    if scenario is not None:
        _own(request, scenario)
    if request.method == "GET":
        if scenario is not None:
            choices = default_choices()
            form = ScenarioForm(
                name=scenario.name,
                description=scenario.description,
                rows=[row_from_stored(c, choices) for c in scenario.changes],
            )
        else:
            form = ScenarioForm(rows=[ChangeRow()])
        return render(request, "simulations/scenario_form.html", _builder_context(form, scenario))
    form = ScenarioForm.from_post(request.POST)
    action = request.POST.get("action", "save")
    if action == "add":
        if len(form.rows) < MAX_ROWS:
            form.rows.append(ChangeRow())
        return render(request, "simulations/scenario_form.html", _builder_context(form, scenario))
    if action.startswith("remove-"):
        index = action.removeprefix("remove-")
        if index.isdigit() and int(index) < len(form.rows):
            del form.rows[int(index)]
        return render(request, "simulations/scenario_form.html", _builder_context(form, scenario))
    if action == "refresh":
        return render(request, "simulations/scenario_form.html", _builder_context(form, scenario))
    stored = form.check(default_choices())
    if stored is None:
        return render(request, "simulations/scenario_form.html", _builder_context(form, scenario), status=400)
    assert isinstance(request.user, User)
    saved = scenario_save(
        author=request.user, name=form.name, description=form.description, changes=stored, scenario=scenario
    )
    messages.success(request, _("方案已保存"))
    return redirect("simulations:scenario", scenario_id=saved.pk)


def _row_number(request: HttpRequest) -> int:
    row = request.GET.get("row", "0")
    return int(row) if row.isdigit() and int(row) < MAX_ROWS else 0


@login_required
@require_GET
def scenario_measures(request: HttpRequest) -> HttpResponse:
    """The measure list of one city for row N (HTMX swaps it in when the city changes; the parameter list is
    emptied out of band)."""
    n = _row_number(request)
    valley = request.GET.get(f"valley-{n}", "")
    valley = valley if valley in VALLEYS else ""
    context = {
        "n": n,
        "row": ChangeRow(valley=valley),
        "measure": None,
        "valleys": choices_by_valley(default_choices(), valley),
        "disable_value": DISABLE,
        "disable_label": DISABLE_LABEL,
        "oob": True,
    }
    return render(request, "simulations/_measure_select.html", context)


@login_required
@require_GET
def scenario_parameters(request: HttpRequest) -> HttpResponse:
    """The parameter list of one measure for row N of the builder (HTMX swaps it in when the measure changes)."""
    choices = {m.id: m for m in default_choices()}
    n = _row_number(request)
    measure = choices.get(request.GET.get(f"measure-{n}", "") or request.GET.get("measure", ""))
    context = {
        "n": n,
        "row": ChangeRow(measure=measure.id if measure else ""),
        "measure": measure,
        "disable_value": DISABLE,
        "disable_label": DISABLE_LABEL,
    }
    return render(request, "simulations/_parameter_select.html", context)


@login_required
@require_GET
def scenario_list(request: HttpRequest) -> HttpResponse:
    scenarios = Scenario.objects.select_related("author").order_by("-updated_at", "-pk")
    return render(
        request,
        "simulations/scenario_list.html",
        {"scenarios": scenarios, "mine": request.user.pk},
    )


def _scenario_context(request: HttpRequest, scenario: Scenario, form: SimulationForm) -> dict[str, Any]:
    context = _form_context(form)
    context.update(
        {
            "scenario": scenario,
            "lines": describe(scenario.changes, default_choices()),
            "runs": scenario.runs.defer("result", "reform_text").order_by("-created_at")[:20],
            "can_edit": scenario.author_id == request.user.pk,
        }
    )
    return context


@login_required
@require_http_methods(["GET", "POST"])
def scenario_detail(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """A scenario's changes in plain words, its runs, and the form to run it (population, years)."""
    scenario = get_object_or_404(Scenario.objects.select_related("author"), pk=scenario_id)
    if request.method == "POST":
        form = SimulationForm.from_post(request.POST)
        years = form.years()
        if years is not None:
            try:
                run = scenario_run_start(
                    scenario=scenario, population=form.population, years=years, actor=request.user, request=request
                )
            except SimulationInputError as exc:
                form.problems.extend(exc.problems)
            else:
                return redirect("simulations:run", run_id=run.pk)
        return render(request, "simulations/scenario.html", _scenario_context(request, scenario, form), status=400)
    return render(request, "simulations/scenario.html", _scenario_context(request, scenario, SimulationForm()))


BASELINE = "baseline"


def _run_label(run: SimulationRun) -> str:
    return run.scenario.name if run.scenario is not None else run.reform_name


@login_required
@require_GET
def scenario_compare(request: HttpRequest) -> HttpResponse:
    """Two finished runs side by side (or one against current policy): ?a=<run>&b=<run or baseline>."""
    runs = selectors.run_done_list()
    a_key, b_key = request.GET.get("a", ""), request.GET.get("b", "")
    errors: dict[str, str] = {}
    report = None
    if a_key or b_key:
        found = {str(r.pk): r for r in runs}
        a = found.get(a_key) or _done_run(a_key)
        b = None if b_key == BASELINE else (found.get(b_key) or _done_run(b_key))
        if a is None:
            errors["a"] = _("请选择一次已完成的模拟")
        if b is None and b_key != BASELINE:
            errors["b"] = _("请选择一次已完成的模拟, 或选择现行政策")
        if a is not None and b is not None:
            if a.pk == b.pk:
                errors["b"] = _("请选择另一次模拟")
            elif (a.population, a.first_year, a.last_year) != (b.population, b.first_year, b.last_year):
                errors["b"] = _("两次模拟的人群或年份不同, 无法对比; 请选择同一人群、同一年份范围的模拟")
        if not errors and a is not None:
            label_b = _run_label(b) if b is not None else str(_("现行政策"))
            report = selectors.compare_report(a, b, _run_label(a), label_b)
            report["run_a"], report["run_b"] = a, b
    context = {"runs": runs, "a_key": a_key, "b_key": b_key, "baseline": BASELINE, "errors": errors, "report": report}
    return render(request, "simulations/compare.html", context, status=400 if errors else 200)


def _done_run(key: str) -> SimulationRun | None:
    if not key.isdigit():
        return None
    return SimulationRun.objects.filter(pk=int(key), status=RunStatus.DONE).select_related("scenario").first()
