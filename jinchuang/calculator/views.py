"""The calculator page: fill a case in a form and see the explained result."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from jinchuang.calculator import selectors
from jinchuang.calculator.caseform import DEFAULT_CASE, case_from_form, form_context, form_error_context
from jinchuang.calculator.services import calculation_run
from jinchuang.policy.case import CaseError
from jinchuang.policy.results import STATUS_LABELS, Result, Status


def _result_context(result: Result) -> dict[str, Any]:
    shown = [m for m in result.measures if m.status is not Status.NOT_ELIGIBLE or m.items]
    totals = [{"valley": v, "eligible": result.total(v), "review": result.review_ceiling(v)} for v in result.valleys]
    chart = {
        "valleys": result.valleys,
        "eligible": [str(t["eligible"]) for t in totals],
        "review": [str(t["review"]) for t in totals],
    }
    return {
        "result": result,
        "shown": shown,
        "totals": totals,
        "misses": result.nearest_misses(),
        "status_labels": {s.value: label for s, label in STATUS_LABELS.items()},
        "chart": chart,
    }


@require_http_methods(["GET", "POST"])
def calculator(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        case_data, paths = case_from_form(request.POST)
        scope = request.POST.get("scope", "")
        try:
            result = calculation_run(
                case_data=case_data, valley=None if scope in ("", "all") else scope, all_valleys=scope == "all"
            )
        except CaseError as exc:
            context = form_error_context(case_data, exc, paths, scope)
            return render(request, "calculator/page.html", context, status=400)
        context = form_context(case_data, {}, scope)
        context.update(_result_context(result))
        return render(request, "calculator/page.html", context)
    example_key = request.GET.get("example")
    case_data = DEFAULT_CASE
    scope = request.GET.get("scope", "")
    if example_key:
        example = selectors.worked_example(example_key)
        if example is None:
            raise Http404("没有这个示例")
        case_data = example["case"]
    return render(request, "calculator/page.html", form_context(case_data, {}, scope))


@require_GET
def event_row(request: HttpRequest) -> HttpResponse:
    etype = request.GET.get("type", "")
    if not etype:  # the row's own type <select> sends itself as ev-<index>-type
        keys = [k for k in request.GET if k.startswith("ev-") and k.endswith("-type")]
        etype = request.GET.get(keys[0], "") if keys else ""
    try:
        index = int(request.GET.get("index", "0"))
    except ValueError:
        index = 0
    if etype not in dict(selectors.event_type_choices()):
        return HttpResponse("请选择有效的事件类型", status=400)
    row = {
        "index": index,
        "type": etype,
        "date": "",
        "date_error": "",
        "type_error": "",
        "fields": selectors.event_fields(etype, {}, {}, prefix=f"ev-{index}"),
    }
    return render(request, "calculator/_event_row.html", {"row": row, "event_types": selectors.event_type_choices()})
