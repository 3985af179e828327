"""台账: awards and instalments by organisation, measure, department, valley, year and month paid; a chart
by measure and by month from the same query; Excel export (ledger_xlsx.py).

Staff see their scope (finance/admin all, a reviewer their department); an enterprise only its own
rows: asking for another organisation's rows answers 404. Amounts are integer fen from the database,
shown with the one formatter (``{% load money %}``) and charted from strings of yuan.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jinchuang.accounts.choices import valley_choices
from jinchuang.accounts.models import Role
from jinchuang.applications.models import Application, Instalment
from jinchuang.applications.permissions import roles_of
from jinchuang.applications.selectors import LedgerSummary, ledger_rows, ledger_summary
from jinchuang.applications.web.views.common import signed_in
from jinchuang.applications.web.views.ledger_xlsx import LedgerLine, ledger_workbook
from jinchuang.policy.money import fen_to_yuan, format_fen

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: rows listed on the page; the totals and the charts always cover every row of the filter
PAGE_ROWS = 500
#: who sees the officers' names (审定人, 拨付登记人) beside a row
OFFICERS = {Role.FINANCE, Role.ADMIN, Role.REVIEWER}
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass
class LedgerFilters:
    """The filters as typed (``values``, kept on the page) and as read (``used``), with an error per field."""

    values: dict[str, str]
    used: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)


def _parse_filters(request: HttpRequest) -> LedgerFilters:
    get = request.GET
    values = {
        name: get.get(name, "").strip() for name in ("organisation", "measure", "department", "valley", "year", "month")
    }
    errors: dict[str, str] = {}
    year = values["year"]
    if year and not (year.isdigit() and 1900 <= int(year) <= 2999):
        errors["year"] = _("年度请写四位数字, 如 2026")
    paid_month = None
    if values["month"]:
        match = _MONTH.match(values["month"])
        if match and 1900 <= int(match[1]) <= 2999 and 1 <= int(match[2]) <= 12:
            paid_month = dt.date(int(match[1]), int(match[2]), 1)
        else:
            errors["month"] = _("拨付月份请按 年-月 填写, 如 2026-01")
    organisation = values["organisation"]
    used = {
        "organisation_id": int(organisation) if organisation.isdigit() else None,
        "measure_id": values["measure"] or None,
        "department": values["department"] or None,
        "valley": values["valley"] or None,
        "year": int(year) if year.isdigit() and "year" not in errors else None,
        "paid_month": paid_month,
    }
    return LedgerFilters(values=values, used=used, errors=errors)


def _rows(request: HttpRequest) -> tuple[QuerySet[Instalment], LedgerFilters]:
    filters = _parse_filters(request)
    rows = ledger_rows(user=request.user, **filters.used)
    wanted = filters.used["organisation_id"]
    if (
        wanted is not None
        and not rows.exists()
        and not ledger_rows(user=request.user).filter(award__organisation_id=wanted).exists()
    ):
        # another organisation's rows, or none at all: not found, never "forbidden"
        raise Http404(_("没有该机构的台账"))
    return rows, filters


def _choices(scope: QuerySet[Instalment]) -> dict[str, list[Any]]:
    """The filter values present in the rows the user may see (so no one learns of others' rows)."""
    plain = scope.order_by()  # distinct values, read by the database, not by walking every row here
    measures: dict[str, str] = {}
    for measure_id, title, citation in plain.values_list(
        "award__measure_id", "award__application__title", "award__application__citation"
    ).distinct():
        measures.setdefault(measure_id, f"{title or measure_id} ({citation})" if citation else title or measure_id)
    organisations = plain.values_list("award__organisation_id", "award__organisation__name").distinct()
    return {
        "organisations": sorted(set(organisations), key=str),
        "measures": sorted(measures.items(), key=lambda item: item[1]),
        "departments": sorted(set(plain.values_list("award__lead_department", flat=True).distinct())),
        "years": sorted(set(plain.values_list("due_year", flat=True).distinct())),
    }


def application_reference(application: Application) -> str:
    """The 申报编号 (given at submission), else the record's number (#id) of an application that never had one."""
    return application.number or f"#{application.pk}"


def ledger_lines(rows: Iterable[Instalment]) -> list[LedgerLine]:
    """The rows with their 申报编号 and the valley's name in the page's language."""
    valleys = {code: str(label) for code, label in valley_choices()}
    return [
        LedgerLine(application_reference(r.award.application), valleys.get(r.award.valley, r.award.valley), r)
        for r in rows
    ]


def filter_description(filters: LedgerFilters, choices: dict[str, list[Any]]) -> str:
    """The filters in words, for the Excel title row: '晋创谷: 晋城; 拨付月份: 2026-01' (or 全部)."""
    used = filters.used
    names = {
        "organisation_id": dict(choices["organisations"]),
        "measure_id": dict(choices["measures"]),
        "valley": dict(valley_choices()),
    }
    labels = {
        "organisation_id": _("机构"),
        "measure_id": _("措施"),
        "department": _("牵头部门"),
        "valley": _("晋创谷"),
        "year": _("应付年度"),
        "paid_month": _("拨付月份"),
    }
    parts = []
    for key, label in labels.items():
        value = used.get(key)
        if value is None:
            continue
        if key == "paid_month":
            text = f"{value:%Y-%m}"
        else:
            text = str(names.get(key, {}).get(value, value))
        parts.append(f"{label}: {text}")
    return "; ".join(parts) if parts else _("全部")


def _yuan_text(fen: int) -> str:
    """'1,100,000.00 元' ('… yuan' in English), as the money filters write it."""
    return f"{format_fen(fen, unit=False)} {_('元')}"


def chart_data(summary: LedgerSummary) -> dict[str, Any]:
    """The charts' data: labels, amounts as strings of yuan (exact; the page's script plots them) and the
    same amounts as the formatter writes them, for the tooltips."""
    return {
        "unit": _("元"),
        "measures": {
            "title": _("按措施"),
            "labels": [g.label for g in summary.by_measure],
            "citations": [g.citation for g in summary.by_measure],
            "series": [
                {
                    "name": _("已拨付"),
                    "values": [str(fen_to_yuan(g.paid_fen)) for g in summary.by_measure],
                    "texts": [_yuan_text(g.paid_fen) for g in summary.by_measure],
                },
                {
                    "name": _("未拨付"),
                    "values": [str(fen_to_yuan(g.unpaid_fen)) for g in summary.by_measure],
                    "texts": [_yuan_text(g.unpaid_fen) for g in summary.by_measure],
                },
            ],
        },
        "months": {
            "title": _("按拨付月份"),
            "labels": [g.label for g in summary.by_month],
            "citations": ["" for _g in summary.by_month],
            "series": [
                {
                    "name": _("已拨付"),
                    "values": [str(fen_to_yuan(g.paid_fen)) for g in summary.by_month],
                    "texts": [_yuan_text(g.paid_fen) for g in summary.by_month],
                }
            ],
        },
    }


@require_GET
@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    rows, filters = _rows(request)
    listed = list(rows[:PAGE_ROWS])
    summary = ledger_summary(rows)
    return render(
        request,
        "applications/ledger.html",
        {
            "rows": ledger_lines(listed),
            "filters": filters.values,
            "errors": filters.errors,
            "summary": summary,
            "chart": chart_data(summary),
            "query": request.GET.urlencode(),
            "truncated": summary.count > len(listed),
            "page_rows": PAGE_ROWS,
            "officer": bool(roles_of(signed_in(request)) & OFFICERS),
            "choices": _choices(ledger_rows(user=request.user)),
            "valleys": valley_choices(),
        },
    )


@require_GET
@login_required
def ledger_export(request: HttpRequest) -> HttpResponse:
    rows, filters = _rows(request)
    now = timezone.localtime()
    workbook = ledger_workbook(
        rows=ledger_lines(rows),
        summary=ledger_summary(rows),
        filters=filter_description(filters, _choices(ledger_rows(user=request.user))),
        exported_at=now,
        officer=bool(roles_of(signed_in(request)) & OFFICERS),
    )
    response = HttpResponse(workbook, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ledger-{now:%Y%m%d-%H%M}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
