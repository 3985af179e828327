"""The facts an application form asks for: only the event types the measure's rules read and, of each,
only the fields those rules read (plus the fields the case vocabulary requires), each with its unit.

Read from the catalog (the rules' expressions, parsed by the engine's expression module) and the case
vocabulary (events.yaml): nothing here decides what a measure needs.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jinchuang.policy import expr
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.schema import EventField, Measure
from jinchuang.records.eventfields import event_fields, event_type_label


def measure_event_types(measure: Measure) -> list[str]:
    """The event types the measure's rules read, in rule order."""
    return list(dict.fromkeys(rule.event for rule in measure.rules))


def fields_read(measure: Measure, event_type: str) -> list[str]:
    """The event's fields the measure reads, in the vocabulary's order; required fields always."""
    spec = default_catalog().vocabulary.get(event_type)
    if spec is None:
        return []
    names: set[str] = set()
    for rule in measure.rules:
        if rule.event != event_type:
            continue
        for source in rule.expressions():
            names |= expr.names(expr.parse(source))
    return [name for name, field in spec.fields.items() if name in names or field.required]


def field_unit(field: EventField) -> str:
    """The unit shown beside an input, in plain words."""
    if field.type == "money":
        return _("元")
    if field.type == "ratio":
        return _("比例(小数), 如 0.2 表示百分之二十")
    if field.type == "int":
        if "月数" in field.label:
            return _("个月")
        if "年数" in field.label or "年限" in field.label:
            return _("年")
    return ""


def event_row(
    measure: Measure, index: int, event: dict[str, Any], errors: dict[str, str], *, event_type: str = ""
) -> dict[str, Any]:
    """One event of the form: its type (one of the measure's), date and the fields the measure reads."""
    wanted = measure_event_types(measure)
    etype = str(event.get("type") or event_type or (wanted[0] if wanted else ""))
    if etype not in wanted and wanted:
        etype = wanted[0]
    spec = default_catalog().vocabulary.get(etype)
    read = fields_read(measure, etype)
    prefix = f"ev-{index}"
    fields = []
    for field in event_fields(etype, event, errors, prefix=prefix):
        if field.name not in read:
            continue
        unit = field_unit(spec.fields[field.name]) if spec is not None else ""
        fields.append({"field": field, "unit": unit, "input": f"{prefix}-{field.name}"})
    return {
        "index": index,
        "type": etype,
        "type_label": event_type_label(etype),
        "types": [(t, event_type_label(t)) for t in wanted],
        "date": event.get("date", ""),
        "date_error": errors.get(f"{prefix}-date", ""),
        "type_error": errors.get(f"{prefix}-type", ""),
        "fields": fields,
    }


def event_rows(measure: Measure, case_data: dict[str, Any], errors: dict[str, str]) -> list[dict[str, Any]]:
    """The rows of the case's events of the types the measure reads (a case prefilled from the calculator
    may hold others: they are not offered, so they are not put forward as facts of this application)."""
    wanted = set(measure_event_types(measure))
    events = [e for e in case_data.get("events") or [] if isinstance(e, dict)]
    return [event_row(measure, i, e, errors) for i, e in enumerate(events) if e.get("type") in wanted]
