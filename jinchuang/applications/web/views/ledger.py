"""台账: awards and instalments by organisation, measure, department, valley and year; Excel export.

Staff see their scope (finance/admin all, a reviewer their department); an enterprise only its own
rows: asking for another organisation's rows answers 404.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from jinchuang.accounts.choices import valley_choices
from jinchuang.applications.models import Instalment
from jinchuang.applications.selectors import ledger_rows
from jinchuang.applications.web.forms import fen_to_yuan_text
from jinchuang.policy.money import fen_to_yuan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = (
    "晋创谷",
    "机构",
    "措施",
    "条款",
    "牵头部门",
    "核定金额(元)",
    "期次",
    "应付年度",
    "金额(元)",
    "拨付日期",
    "凭证号",
)


def _filters(request: HttpRequest) -> dict[str, Any]:
    get = request.GET
    organisation = get.get("organisation", "").strip()
    year = get.get("year", "").strip()
    return {
        "organisation_id": int(organisation) if organisation.isdigit() else None,
        "measure_id": get.get("measure", "").strip() or None,
        "department": get.get("department", "").strip() or None,
        "valley": get.get("valley", "").strip() or None,
        "year": int(year) if year.isdigit() else None,
    }


def _rows(request: HttpRequest) -> tuple[QuerySet[Instalment], dict[str, Any]]:
    filters = _filters(request)
    rows = ledger_rows(user=request.user, **filters)
    wanted = filters["organisation_id"]
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
    return {
        "organisations": sorted(set(scope.values_list("award__organisation_id", "award__organisation__name")), key=str),
        "measures": sorted(set(scope.values_list("award__measure_id", flat=True))),
        "departments": sorted(set(scope.values_list("award__lead_department", flat=True))),
        "years": sorted(set(scope.values_list("due_year", flat=True))),
    }


@require_GET
@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    rows, filters = _rows(request)
    listed = list(rows[:500])
    total = sum(r.amount_fen for r in listed)
    paid = sum(r.amount_fen for r in listed if r.paid_on)
    return render(
        request,
        "applications/ledger.html",
        {
            "rows": listed,
            "filters": request.GET,
            "total": fen_to_yuan_text(total),
            "paid": fen_to_yuan_text(paid),
            "query": request.GET.urlencode(),
            "truncated": rows.count() > len(listed),
            "used": filters,
            "choices": _choices(ledger_rows(user=request.user)),
            "valleys": valley_choices(),
        },
    )


@require_GET
@login_required
def ledger_export(request: HttpRequest) -> HttpResponse:
    rows, _filters_used = _rows(request)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "台账"
    sheet.append(list(HEADERS))
    for r in rows:
        award = r.award
        sheet.append(
            [
                award.valley,
                award.organisation.name,
                award.application.title or award.measure_id,
                award.application.citation,
                award.lead_department,
                fen_to_yuan(award.amount_fen),  # exact Decimal yuan, never float; shown as #,##0.00
                r.sequence,
                r.due_year,
                fen_to_yuan(r.amount_fen),
                r.paid_on.isoformat() if r.paid_on else "",
                r.voucher_no,
            ]
        )
    for column in ("F", "I"):
        for cell in sheet[column][1:]:
            cell.number_format = "#,##0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="ledger-{stamp}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
