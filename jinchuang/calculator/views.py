"""The calculator page: fill a case in a form and see the explained result."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from jinchuang.calculator import selectors
from jinchuang.calculator.forms import case_from_form, form_field
from jinchuang.calculator.services import calculation_run
from jinchuang.policy.case import CaseError
from jinchuang.policy.results import STATUS_LABELS, Result, Status

DEFAULT_CASE: dict[str, Any] = {
    "as_of": "",
    "applicant": {"kind": "enterprise", "valley": "晋城"},
    "events": [{"type": "tech_contract_registered", "date": ""}],
    "prior_grants": [],
}


def _event_rows(case_data: dict[str, Any], errors: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for i, event in enumerate(case_data.get("events") or []):
        etype = str(event.get("type", ""))
        rows.append(
            {
                "index": i,
                "type": etype,
                "date": event.get("date", ""),
                "date_error": errors.get(f"ev-{i}-date", ""),
                "type_error": errors.get(f"ev-{i}-type", ""),
                "fields": selectors.event_fields(etype, event, errors, prefix=f"ev-{i}"),
            }
        )
    return rows


def _grant_rows(case_data: dict[str, Any], errors: dict[str, str]) -> list[dict[str, Any]]:
    grants = [*(case_data.get("prior_grants") or []), {}]
    return [
        {
            "index": i,
            "values": g,
            "errors": {k: errors.get(f"pg-{i}-{k}", "") for k in ("matter", "amount", "date", "policy", "level")},
        }
        for i, g in enumerate(grants)
    ]


def form_context(case_data: dict[str, Any], errors: dict[str, str], scope: str) -> dict[str, Any]:
    applicant = case_data.get("applicant") or {}
    return {
        "case": case_data,
        "applicant": applicant,
        "as_of": case_data.get("as_of") or dt.date.today().isoformat(),
        "errors": errors,
        "scope": scope,
        "event_rows": _event_rows(case_data, errors),
        "grant_rows": _grant_rows(case_data, errors),
        "next_index": len(case_data.get("events") or []),
        "event_types": selectors.event_type_choices(),
        "org_kinds": selectors.org_kind_choices(),
        "valleys": selectors.valley_choices(),
        "examples": selectors.worked_examples(),
    }


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


def form_error_context(case_data: dict[str, Any], exc: CaseError, paths: dict[str, str], scope: str) -> dict[str, Any]:
    """The form again, each problem of the case shown beside its field and listed above the form."""
    errors: dict[str, str] = {}
    for problem in exc.problems:
        errors.setdefault(form_field(problem.field, paths), problem.message)
    context = form_context(case_data, _renumber(errors, paths), scope)
    context["problems"] = [(p.field, p.message) for p in exc.problems]
    return context


def _renumber(errors: dict[str, str], paths: dict[str, str]) -> dict[str, str]:
    """Form rows are re-rendered 0..n-1; move errors from the posted row names to the new ones."""
    mapping = {}
    for path, prefix in paths.items():
        index = path[path.index("[") + 1 : path.index("]")]
        mapping[prefix] = f"{prefix.split('-')[0]}-{index}"
    out = {}
    for name, message in errors.items():
        parts = name.split("-")
        if len(parts) >= 2 and f"{parts[0]}-{parts[1]}" in mapping:
            name = "-".join([mapping[f"{parts[0]}-{parts[1]}"], *parts[2:]])
        out[name] = message
    return out


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
