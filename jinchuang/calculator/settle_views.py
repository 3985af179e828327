"""The where-to-settle page (选址对比): one case, the five valleys side by side, measure by measure."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from jinchuang.calculator import selectors
from jinchuang.calculator.caseform import DEFAULT_CASE, case_from_form, form_context, form_edit, form_error_context
from jinchuang.calculator.comparison import settle_comparison
from jinchuang.calculator.services import calculation_run
from jinchuang.policy.case import CaseError
from jinchuang.policy.results import STATUS_LABELS

TEMPLATE = "calculator/settle.html"


def _page_context(context: dict[str, Any]) -> dict[str, Any]:
    context["demos"] = selectors.demo_cases()
    context["status_labels"] = {s.value: gettext(label) for s, label in STATUS_LABELS.items()}
    return context


@require_http_methods(["GET", "POST"])
def where_to_settle(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        case_data, paths = case_from_form(request.POST)
        edited = form_edit(request.POST, case_data)
        if edited is not None:  # 添加/删除事件 without JavaScript: the form again, nothing computed
            return render(request, TEMPLATE, _page_context(form_context(edited, {}, "all")))
        run_it = True
    else:
        case_data, paths, run_it = DEFAULT_CASE, {}, False
        key = request.GET.get("example")
        if key:
            example = selectors.demo_case(key) or selectors.worked_example(key)
            if example is None:
                raise Http404(gettext("没有这个示例"))
            case_data, run_it = example["case"], True
    if not run_it:
        return render(request, TEMPLATE, _page_context(form_context(case_data, {}, "all")))
    try:
        result = calculation_run(case_data=case_data, all_valleys=True)
    except CaseError as exc:
        context = form_error_context(case_data, exc, paths, "all")
        return render(request, TEMPLATE, _page_context(context), status=400)
    comparison = settle_comparison(result=result)
    context = form_context(case_data, {}, "all")
    context.update({"comparison": comparison, "chart": comparison.chart_data()})
    return render(request, TEMPLATE, _page_context(context))
