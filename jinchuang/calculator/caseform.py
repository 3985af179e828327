"""The case form, one public module for every face that asks for a case (calculator, where-to-settle,
免申即享 offers, the application form): form fields → case data, the form's context (rows of events
and prior grants, choices), and the engine's problems mapped back to the fields. Its template is the
include ``calculator/_case_form.html`` (event rows: ``calculator/_event_row.html``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy

from jinchuang.calculator import selectors
from jinchuang.policy import money
from jinchuang.policy.case import CaseError
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.schema import Measure
from jinchuang.policy.vocabulary import Valley

#: the case an empty calculator or where-to-settle form starts from
DEFAULT_CASE: dict[str, Any] = {
    "as_of": "",
    "applicant": {"kind": "enterprise", "valley": Valley.JINCHENG.value},
    "events": [{"type": "tech_contract_registered", "date": ""}],
    "prior_grants": [],
}

_ROW = re.compile(r"^(ev|pg)-(\d+)-([a-z_]+)$")
_UNIT = re.compile(r"^(ev|pg)-(\d+)-([a-z_]+)-unit$")
PRIOR_GRANT_FIELDS = ("matter", "amount", "date", "policy", "level")
#: the units a money field's selector offers (the form submits ``<field>-unit``)
MONEY_UNITS = (("yuan", gettext_lazy("元")), ("wan", gettext_lazy("万元")))


def money_from_form(raw: str, unit: str = "yuan") -> str:
    """A typed amount in yuan, exactly (Decimal, never float): "120" with unit 万元, "120万", "120 万元"
    → "1200000"; "1,200,000 元" → "1,200,000". Text that is not a number is returned as typed (with its
    suffix) so that the case's parser names the field and the visitor sees what they typed.
    The suffixes and the ×10,000 are the one rule of jinchuang.policy.money (typed_amount, parse_typed_yuan)."""
    typed = raw.strip()
    text, unit = money.typed_amount(typed, unit)
    if unit != "wan":
        return text
    try:
        amount = money.parse_typed_yuan(text, "wan")
    except money.MoneyError:
        return typed
    return format(amount.normalize(), "f")


def ratio_from_form(raw: str) -> str:
    """A typed ratio: "20%" → "0.2" (money.parse_percent); anything else as typed (the parser checks it)."""
    ratio = money.parse_percent(raw)
    return raw.strip() if ratio is None else format(ratio.normalize(), "f")


def _field_types(event_type: str) -> dict[str, str]:
    spec = default_catalog().vocabulary.get(event_type)
    return {name: f.type for name, f in spec.fields.items()} if spec is not None else {}


def case_from_form(post: QueryDict) -> tuple[dict[str, Any], dict[str, str]]:
    """Return (case data, map from case field path to form field name prefix)."""
    rows: dict[tuple[str, int], dict[str, str]] = {}
    units: dict[tuple[str, int], dict[str, str]] = {}
    for key in post:
        match = _ROW.match(key)
        unit = _UNIT.match(key)
        if match:
            kind, index, name = match.group(1), int(match.group(2)), match.group(3)
            rows.setdefault((kind, index), {})[name] = post.get(key, "").strip()
        elif unit:
            units.setdefault((unit.group(1), int(unit.group(2))), {})[unit.group(3)] = post.get(key, "")
    for (kind, index), values in rows.items():
        types = _field_types(values.get("type", "")) if kind == "ev" else {"amount": "money"}
        for name, raw in values.items():
            if raw and types.get(name) == "money":
                values[name] = money_from_form(raw, units.get((kind, index), {}).get(name, "yuan"))
            elif raw and types.get(name) == "ratio":
                values[name] = ratio_from_form(raw)
    paths: dict[str, str] = {}
    events: list[dict[str, Any]] = []
    grants: list[dict[str, Any]] = []
    for (kind, index), values in sorted(rows.items()):
        if not any(values.values()):
            continue
        if kind == "ev":
            paths[f"events[{len(events)}]"] = f"ev-{index}"
            events.append(_event(values))
        else:
            paths[f"prior_grants[{len(grants)}]"] = f"pg-{index}"
            grants.append({k: v for k, v in values.items() if k in PRIOR_GRANT_FIELDS and v != ""})
    certifications = [c.strip() for c in post.get("certifications", "").replace("，", ",").split(",") if c.strip()]
    applicant: dict[str, Any] = {"kind": post.get("applicant_kind", ""), "name": post.get("applicant_name", "")}
    if post.get("applicant_valley"):
        applicant["valley"] = post["applicant_valley"]
    if post.get("settled_on"):
        applicant["settled_on"] = post["settled_on"]
    if certifications:
        applicant["certifications"] = certifications
    data: dict[str, Any] = {
        "as_of": post.get("as_of", ""),
        "applicant": applicant,
        "events": events,
        "prior_grants": grants,
    }
    return data, paths


def _event(values: dict[str, str]) -> dict[str, Any]:
    event: dict[str, Any] = {}
    for name, raw in values.items():
        if raw == "":
            continue
        event[name] = (raw == "true") if raw in ("true", "false") else raw
    return event


def form_field(path: str, paths: dict[str, str]) -> str:
    """Map a case field path (events[0].amount) to its form input name (ev-3-amount)."""
    match = re.match(r"^(events|prior_grants)\[(\d+)\](?:\.(\w+))?$", path)
    if match:
        prefix = paths.get(f"{match.group(1)}[{match.group(2)}]", "")
        return f"{prefix}-{match.group(3)}" if match.group(3) else prefix
    return {
        "applicant.kind": "applicant_kind",
        "applicant.valley": "applicant_valley",
        "applicant.settled_on": "settled_on",
        "applicant.certifications": "certifications",
        "applicant.name": "applicant_name",
    }.get(path, path)


def _events(case_data: dict[str, Any]) -> list[dict[str, Any]]:
    """The case's events as the form shows them (anything that is not an object is dropped: a case
    prefilled from elsewhere may hold anything)."""
    return [e for e in case_data.get("events") or [] if isinstance(e, dict)]


def _event_rows(case_data: dict[str, Any], errors: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for i, event in enumerate(_events(case_data)):
        etype = str(event.get("type", ""))
        rows.append(
            {
                "index": i,
                "type": etype,
                "type_label": dict(selectors.event_type_choices()).get(etype, ""),
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
        "next_index": len(_events(case_data)),
        "event_types": selectors.event_type_choices(),
        "org_kinds": selectors.org_kind_choices(),
        "valleys": selectors.valley_choices(),
        "matters": selectors.prior_grant_matter_choices(),
        "money_units": MONEY_UNITS,
        "grant_levels": GRANT_LEVELS,
    }


GRANT_LEVELS = (
    ("national", gettext_lazy("国家级")),
    ("provincial", gettext_lazy("省级")),
    ("city", gettext_lazy("市级")),
    ("other", gettext_lazy("其他")),
)


def event_added(case_data: dict[str, Any], event_type: str) -> dict[str, Any]:
    """The case with one more (empty) event of ``event_type``: the form's 添加事件 without JavaScript."""
    if event_type not in dict(selectors.event_type_choices()):
        return case_data
    return {**case_data, "events": [*_events(case_data), {"type": event_type, "date": ""}]}


def event_removed(case_data: dict[str, Any], index: int) -> dict[str, Any]:
    """The case without its event at ``index`` (the form's 删除此事件 without JavaScript)."""
    events = _events(case_data)
    return {**case_data, "events": [e for i, e in enumerate(events) if i != index]}


def form_edit(post: QueryDict, case_data: dict[str, Any]) -> dict[str, Any] | None:
    """The case after the form's 添加事件 (``add_event``) or 删除此事件 (``remove_event=<n>``) buttons —
    how the form works without JavaScript — or None when the form was submitted to compute."""
    if post.get("add_event"):
        return event_added(case_data, post.get("new_event_type", ""))
    remove = post.get("remove_event", "")
    if remove.isdigit():
        return event_removed(case_data, int(remove))
    return None


def form_error_context(case_data: dict[str, Any], exc: CaseError, paths: dict[str, str], scope: str) -> dict[str, Any]:
    """The form again, each problem of the case shown beside its field and listed above the form."""
    errors: dict[str, str] = {}
    for problem in exc.problems:
        errors.setdefault(form_field(problem.field, paths), problem.message)
    context = form_context(case_data, _renumber(errors, paths), scope)
    context["problems"] = [(problem_place(p.field, case_data), p.message) for p in exc.problems]
    return context


_APPLICANT_PLACES = {
    "applicant.kind": gettext_lazy("机构类型"),
    "applicant.valley": gettext_lazy("所在谷"),
    "applicant.settled_on": gettext_lazy("入驻日期"),
    "applicant.name": gettext_lazy("名称"),
    "applicant.certifications": gettext_lazy("资质"),
    "as_of": gettext_lazy("计算基准日"),
    "valley": gettext_lazy("计算范围"),
}
_PATH = re.compile(r"^(events|prior_grants|extra_events)\[(\d+)\](?:\.(\w+))?")


def problem_place(path: str, case_data: dict[str, Any]) -> str:
    """Where a problem is, in words ("事件 1 · 技术交易额", "已获支持 2 · 金额"), never the field path."""
    match = _PATH.match(path)
    if match is None:
        return str(_APPLICANT_PLACES.get(path, gettext_lazy("案例")))
    index, name = int(match.group(2)), match.group(3) or ""
    if match.group(1) == "prior_grants":
        names = {"matter": gettext_lazy("事项"), "amount": gettext_lazy("金额"), "date": gettext_lazy("日期")}
        names.update({"policy": gettext_lazy("政策名称"), "level": gettext_lazy("级别")})
        place = gettext_lazy("已获支持 %(n)s") % {"n": index + 1}
        return f"{place} · {names[name]}" if name in names else str(place)
    place = gettext_lazy("事件 %(n)s") % {"n": index + 1}
    events = _events(case_data)
    etype = str(events[index].get("type", "")) if index < len(events) else ""
    spec = default_catalog().vocabulary.get(etype)
    if name == "date":
        return f"{place} · {gettext_lazy('日期')}"
    if name == "type":
        return f"{place} · {gettext_lazy('事件类型')}"
    if spec is not None and name in spec.fields:
        return f"{place} · {spec.fields[name].label}"
    return str(place)


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


def measure_event_types(measure: Measure) -> list[str]:
    """The event types a measure's rules read, in rule order: the facts a case form for it asks for."""
    return list(dict.fromkeys(rule.event for rule in measure.rules))
