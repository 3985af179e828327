"""``{% load records_facts %}{% fact_item v %}``: one fact of the record page, rendered in Python.

The record page lists every fact (a record of 200 facts is ordinary); a template include per fact
cost most of the page's time, so the item is built here with ``format_html`` (escaped like a
template), reading the same FactView the template would."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jinchuang.policy.catalog import default_catalog
from jinchuang.records.facts import FactView

register = template.Library()
SENTINEL = 987654321


def _date(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if value is not None else ""


def _fields(v: FactView) -> SafeString:
    rows = list(v.rows)
    if v.fact.subject:
        rows.append((_("对象"), v.fact.subject))
    if v.fact.ref:
        rows.append((_("编号/备注"), v.fact.ref))
    if not rows:
        return mark_safe("")
    return format_html('<dl class="rec-fields">{}</dl>', format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))


def _meta(v: FactView, urls: dict[str, str]) -> SafeString:
    f = v.fact
    parts: list[SafeString] = []
    if f.source:
        parts.append(format_html('<p class="rec-meta">{}: {}</p>', _("来源"), f.source))
    if v.evidence:
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((urls["evidence"].replace("ID", str(e.pk)), e.original_name) for e in v.evidence),
        )
        parts.append(format_html('<p class="rec-meta">{}: {}</p>', _("证明材料"), links))
    if f.decided_at is not None:
        who = f.decided_by.get_full_name() if f.decided_by is not None else _("平台")
        word = _("驳回") if f.state == "rejected" else _("核验")
        parts.append(
            format_html('<p class="rec-meta">{}: {} · {}</p>', word, who, f.decided_at.strftime("%Y-%m-%d %H:%M"))
        )
    if f.note:
        parts.append(format_html('<p class="rec-meta">{}: {}</p>', _("说明"), f.note))
    if v.history:
        old = format_html_join(
            "",
            "<p>{} · {}{}</p>",
            ((_date(h.date), _("已更正"), f": {h.note}" if h.note else "") for h in v.history),
        )
        parts.append(
            format_html(
                '<div class="rec-history" data-testid="fact-history-{}"><strong>{}</strong>{}</div>',
                f.pk,
                _("更正前"),
                old,
            )
        )
    return mark_safe("".join(parts))


def _actions(v: FactView, urls: dict[str, str], csrf: str, officer: bool, can_correct: bool) -> SafeString:
    pk = str(v.fact.pk)
    parts: list[SafeString] = []
    vocabulary = default_catalog().vocabulary
    if v.is_live and can_correct and v.fact.event_type in vocabulary:  # a platform award is not corrected here
        parts.append(
            format_html(
                '<p><a href="{}" data-testid="correct-{}">{}</a></p>', urls["correct"].replace("ID", pk), pk, _("更正")
            )
        )
    if officer and v.is_declared:
        token = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf)
        parts.append(
            format_html(
                '<div class="rec-actions">'
                '<form method="post" action="{}" enctype="multipart/form-data">{}'
                '<label>{} <textarea name="note" maxlength="2000"></textarea></label>'
                '<label>{} <input type="file" name="evidence" accept=".pdf,.jpg,.jpeg,.png" multiple></label>'
                '<button type="submit" class="button" data-testid="verify-{}">{}</button></form>'
                '<form method="post" action="{}">{}'
                '<label>{} <textarea name="reason" maxlength="2000" required></textarea></label>'
                '<button type="submit" class="button" data-testid="reject-{}">{}</button></form></div>',
                urls["verify"].replace("ID", pk),
                token,
                _("核验说明"),
                _("证明材料(可选)"),
                pk,
                _("核验通过"),
                urls["reject"].replace("ID", pk),
                token,
                _("驳回理由"),
                pk,
                _("驳回"),
            )
        )
    return mark_safe("".join(parts))


def _urls() -> dict[str, str]:
    """Each URL reversed once, with ``ID`` in place of the id."""
    return {
        name: reverse(f"records:{name}", args=[SENTINEL]).replace(str(SENTINEL), "ID")
        for name in ("evidence", "correct", "verify", "reject")
    }


@register.simple_tag(takes_context=True)
def fact_items(context: Any, views: list[FactView], officer: bool = False, can_correct: bool = False) -> SafeString:
    """Every fact of the timeline as <li> items."""
    urls = _urls()
    csrf = str(context.get("csrf_token", ""))
    items = []
    for v in views:
        f = v.fact
        head = format_html(
            '<h3>{} <span>{}</span> <span class="rec-badge {}" data-testid="fact-state-{}">{}</span> '
            '<span class="rec-badge">{}</span></h3>',
            v.label,
            _date(f.date),
            f.state,
            f.pk,
            v.state_label,
            v.provenance_label,
        )
        items.append(
            format_html(
                '<li class="rec-fact{}" data-testid="fact-{}">{}{}{}{}</li>',
                " is-rejected" if f.state == "rejected" else "",
                f.pk,
                head,
                _fields(v),
                _meta(v, urls),
                _actions(v, urls, csrf, officer, can_correct),
            )
        )
    return mark_safe("".join(items))
