"""The calculator page: fill a case in a form and see the explained result."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from jinchuang.accounts.models import Organisation, User
from jinchuang.calculator import selectors, summary
from jinchuang.calculator.caseform import (
    DEFAULT_CASE,
    MONEY_UNITS,
    case_from_form,
    form_context,
    form_edit,
    form_error_context,
    problem_place,
)
from jinchuang.calculator.services import RecordCalculation, calculation_from_record, calculation_with_people
from jinchuang.policy.case import CaseError, FieldProblem
from jinchuang.policy.person_paid import PersonClaim
from jinchuang.policy.results import STATUS_LABELS, Result
from jinchuang.records.selectors import record_case


def _result_context(
    result: Result, claims: list[PersonClaim], case_data: dict[str, Any], auto_granted: set[str] | None = None
) -> dict[str, Any]:
    events = [e for e in case_data.get("events") or [] if isinstance(e, dict)]
    answer = summary.answer(result, claims, events=events, auto_granted=auto_granted or ())
    return {
        "result": result,
        "answer": answer,
        "status_labels": {s.value: gettext(label) for s, label in STATUS_LABELS.items()},
        "chart": answer.chart(),
    }


BAD_AS_OF = gettext_lazy("请填写有效的计算基准日")


def _member_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation the logged-in user belongs to (the calculator then starts from its record)."""
    user = request.user
    if isinstance(user, User) and user.is_active and user.organisation_id is not None:
        return user.organisation
    return None


def _record_context(
    organisation: Organisation,
    as_of: dt.date,
    events: list[dict[str, Any]],
    errors: dict[str, str],
    scope: str,
    calculation: RecordCalculation | None,
) -> dict[str, Any]:
    context = form_context({"as_of": as_of.isoformat(), "applicant": {}, "events": events}, errors, scope)
    record = calculation.record if calculation is not None else record_case(organisation, as_of=as_of)
    context.update(
        {
            "from_record": True,
            "identity": selectors.record_identity(organisation),
            "record_facts": selectors.record_fact_rows(record),
        }
    )
    if calculation is not None:
        auto = summary.auto_granted_ids(calculation.result, calculation.record)
        context.update(_result_context(calculation.result, calculation.claims, calculation.case_data, auto))
        totals = calculation.totals()
        context.update(
            {
                "calculation": calculation,
                "case": calculation.case_data,
                "compare_totals": totals,
                "differences": calculation.differences,
                "compare_chart": {
                    "valleys": [t["valley"] for t in totals],
                    "record": [str(t["record"]) for t in totals],
                    "what_if": [str(t["what_if"]) for t in totals],
                },
            }
        )
    return context


def _calculator_from_record(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Compute from the record with the hypothetical event rows of the form; nothing is saved."""
    case_data, paths = case_from_form(request.POST)  # only its events are read: identity is the record's
    scope = request.POST.get("scope", "")
    events = case_data["events"]
    edited = form_edit(request.POST, case_data)
    if edited is not None:
        day = timezone.localdate()
        return render(
            request, "calculator/page.html", _record_context(organisation, day, edited["events"], {}, scope, None)
        )
    try:
        as_of = dt.date.fromisoformat(request.POST.get("as_of", ""))
    except ValueError:
        exc = CaseError([FieldProblem("as_of", str(BAD_AS_OF))])
        return _record_error(request, organisation, timezone.localdate(), events, exc, paths, scope)
    try:
        calculation = calculation_from_record(
            organisation=organisation,
            extra_events=events,
            as_of=as_of,
            valley=None if scope in ("", "all") else scope,
            all_valleys=scope == "all",
            field_prefix="events",
        )
    except CaseError as exc:
        return _record_error(request, organisation, as_of, events, exc, paths, scope)
    context = _record_context(organisation, as_of, events, {}, scope, calculation)
    return render(request, "calculator/page.html", context)


def _record_error(
    request: HttpRequest,
    organisation: Organisation,
    as_of: dt.date,
    events: list[dict[str, Any]],
    exc: CaseError,
    paths: dict[str, str],
    scope: str,
) -> HttpResponse:
    errors = form_error_context({"events": events}, exc, paths, scope)["errors"]
    context = _record_context(organisation, as_of, events, errors, scope, None)
    context["problems"] = [(problem_place(p.field, {"events": events}), p.message) for p in exc.problems]
    return render(request, "calculator/page.html", context, status=400)


@require_http_methods(["GET", "POST"])
def calculator(request: HttpRequest) -> HttpResponse:
    organisation = _member_organisation(request)
    if request.method == "POST" and request.POST.get("mode") == "record" and organisation is not None:
        return _calculator_from_record(request, organisation)
    if request.method == "GET" and organisation is not None and not request.GET.get("free"):
        if not request.GET.get("example"):
            day = timezone.localdate()
            return render(request, "calculator/page.html", _record_context(organisation, day, [], {}, "", None))
    if request.method == "POST":
        case_data, paths = case_from_form(request.POST)
        scope = request.POST.get("scope", "")
        edited = form_edit(request.POST, case_data)
        if edited is not None:  # 添加/删除事件 without JavaScript: the form again, nothing computed
            return render(request, "calculator/page.html", form_context(edited, {}, scope))
        try:
            calculation = calculation_with_people(
                case_data=case_data, valley=None if scope in ("", "all") else scope, all_valleys=scope == "all"
            )
        except CaseError as exc:
            context = form_error_context(case_data, exc, paths, scope)
            return render(request, "calculator/page.html", context, status=400)
        context = form_context(case_data, {}, scope)
        context.update(_result_context(calculation.result, calculation.claims, case_data))
        return render(request, "calculator/page.html", context)
    example_key = request.GET.get("example")
    case_data = DEFAULT_CASE
    scope = request.GET.get("scope", "")
    if example_key:
        example = selectors.worked_example(example_key)
        if example is None:
            raise Http404(gettext("没有这个示例"))
        case_data = example["case"]
    return render(request, "calculator/page.html", form_context(case_data, {}, scope))


@require_GET
def examples(request: HttpRequest) -> HttpResponse:
    """The worked examples, one page at a time (all or one measure's): loaded when asked for, never with
    the calculator page (640 of them made it slow)."""
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    page = selectors.worked_example_page(page=number, measure_id=request.GET.get("measure", ""))
    template = "calculator/_examples.html" if request.headers.get("HX-Request") else "calculator/examples.html"
    return render(request, template, {"page": page})


@require_GET
def event_row(request: HttpRequest) -> HttpResponse:
    etype = request.GET.get("type", "") or request.GET.get("new_event_type", "")
    if not etype:  # the row's own type <select> sends itself as ev-<index>-type
        keys = [k for k in request.GET if k.startswith("ev-") and k.endswith("-type")]
        etype = request.GET.get(keys[0], "") if keys else ""
    try:
        index = int(request.GET.get("index", "0"))
    except ValueError:
        index = 0
    if etype not in dict(selectors.event_type_choices()):
        return HttpResponse(gettext("请选择有效的事件类型"), status=400)
    row = {
        "index": index,
        "type_label": dict(selectors.event_type_choices())[etype],
        "type": etype,
        "date": "",
        "date_error": "",
        "type_error": "",
        "fields": selectors.event_fields(etype, {}, {}, prefix=f"ev-{index}"),
    }
    context = {"row": row, "event_types": selectors.event_type_choices(), "money_units": MONEY_UNITS}
    return render(request, "calculator/_event_row.html", context)
