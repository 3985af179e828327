"""Policy library pages: parse the request, call one selector, render."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jinchuang.policies.filters import InvalidFilters, LibraryFilters
from jinchuang.policies.selectors import (
    DEFAULT_COMPARE_CATEGORY,
    category_comparison,
    filter_options,
    guide_for,
    guide_template,
    library_catalog,
    library_filters_parse,
    measure_detail,
    measure_list,
    worked_examples,
)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


@require_GET
def library(request: HttpRequest) -> HttpResponse:
    loaded = library_catalog()
    status = 200
    problems = []
    try:
        filters = library_filters_parse(catalog=loaded.catalog, params=request.GET)
        rows = measure_list(catalog=loaded.catalog, filters=filters)
    except InvalidFilters as exc:
        filters, rows, problems = LibraryFilters(), [], exc.problems
        status = 400
    context = {
        "filters": filters,
        "params": request.GET,
        "rows": rows,
        "filter_problems": problems,
        "options": filter_options(catalog=loaded.catalog),
        "catalog_problems": loaded.problems,
    }
    if _is_htmx(request):
        # htmx does not swap 4xx responses: the partial carries the message with 200.
        response = render(request, "policies/_results.html", context)
    else:
        response = render(request, "policies/library.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def measure(request: HttpRequest, measure_id: str) -> HttpResponse:
    loaded = library_catalog()
    detail = measure_detail(catalog=loaded.catalog, measure_id=measure_id)
    if detail is None:
        raise Http404(_("政策库中没有编号为 %(id)s 的政策条款") % {"id": measure_id})
    examples = worked_examples(catalog=loaded.catalog, measure_id=measure_id)
    guide = guide_for(measure_id, catalog=loaded.catalog)
    return render(request, "policies/measure.html", {"detail": detail, "examples": examples, "guide": guide})


@require_GET
def guide_template_download(request: HttpRequest, measure_id: str) -> HttpResponse:
    found = guide_template(measure_id)
    if found is None:
        raise Http404(_("本条没有申报表"))
    name, content = found
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=\"guide.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    loaded = library_catalog()
    options = filter_options(catalog=loaded.catalog)
    known = [c for c, _label in options.categories]
    category = (request.GET.get("category") or DEFAULT_COMPARE_CATEGORY).strip()
    status = 200
    problem = ""
    if category not in known and category != DEFAULT_COMPARE_CATEGORY:
        problem = _("筛选条件“政策类别”的取值“%(value)s”无效, 请从以下选项中选择: %(allowed)s") % {
            "value": category,
            "allowed": _("、").join(label for _code, label in options.categories),
        }
        category, status = DEFAULT_COMPARE_CATEGORY, 400
    comparison = category_comparison(catalog=loaded.catalog, category=category)
    context = {
        "comparison": comparison,
        "chart": comparison.chart_data(),
        "categories": options.categories,
        "problem": problem,
        "catalog_problems": loaded.problems,
    }
    return render(request, "policies/compare.html", context, status=status)
