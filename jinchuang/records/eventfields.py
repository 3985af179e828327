"""The event vocabulary as forms and pages show it: one published module for every face that asks for
an event (the record's declare form, the calculator's case form) or shows a stored fact.

``event_fields`` gives the form fields of an event type (label, type, options, value, error);
``fact_field_rows`` gives a stored fact's fields as (Chinese label, display text), money in yuan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.money import format_fen
from jinchuang.policy.schema import EventField

#: the record's own kind of fact (platform awards), not an event of the case vocabulary
AWARD_LABEL = gettext_lazy("平台奖补")
AWARD_FIELD_LABELS: dict[str, Any] = {
    "amount_fen": gettext_lazy("金额"),
    "policy": gettext_lazy("政策"),
    "award": gettext_lazy("奖补编号"),
}


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    type: str
    required: bool
    options: list[tuple[str, str]]
    value: str = ""
    error: str = ""


def event_type_choices() -> list[tuple[str, str]]:
    """(code, Chinese label) of every event type, by label."""
    return sorted(((k, v.label) for k, v in default_catalog().vocabulary.items()), key=lambda kv: kv[1])


def event_type_label(event_type: str) -> str:
    spec = default_catalog().vocabulary.get(event_type)
    if spec is not None:
        return spec.label
    return str(AWARD_LABEL) if event_type == "platform_award" else _("其他事实")


def event_fields(
    event_type: str, values: Mapping[str, Any] | None = None, errors: Mapping[str, str] | None = None, prefix: str = ""
) -> list[FormField]:
    """The form fields of ``event_type`` with the given values; ``errors`` keyed ``<prefix>-<field>``."""
    spec = default_catalog().vocabulary.get(event_type)
    if spec is None:
        return []
    values = values or {}
    errors = errors or {}
    return [_field(name, f, values.get(name), errors.get(f"{prefix}-{name}", "")) for name, f in spec.fields.items()]


def _field(name: str, spec: EventField, value: Any, error: str) -> FormField:
    options = list(spec.options.items()) if spec.options else []
    if spec.type == "bool":
        options = [("true", _("是")), ("false", _("否"))]
        value = "" if value is None or value == "" else ("true" if value is True or value == "true" else "false")
    return FormField(
        name=name,
        label=spec.label,
        type=spec.type,
        required=spec.required,
        options=options,
        value="" if value is None else str(value),
        error=error,
    )


def money_text(fen: int) -> str:
    """Fen as the money filters write it: '800,000.00 元' ('800,000.00 yuan' on an English page)."""
    return f"{format_fen(fen, unit=False)} {_('元')}"


def _value_text(spec: EventField | None, value: Any) -> str:
    if spec is None:
        return str(value)
    if spec.type == "money":
        return money_text(int(value))
    if spec.type == "bool":
        return _("是") if value is True else _("否")
    if spec.options and str(value) in spec.options:
        return spec.options[str(value)]
    return str(value)


def fact_field_rows(event_type: str, fields: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A stored fact's canonical fields as (label, text) in the vocabulary's order (money in yuan)."""
    if event_type == "platform_award":
        rows = []
        for name in ("amount_fen", "policy", "award"):
            if fields.get(name) not in (None, ""):
                text = money_text(int(fields[name])) if name == "amount_fen" else str(fields[name])
                rows.append((str(AWARD_FIELD_LABELS[name]), text))
        return rows
    spec = default_catalog().vocabulary.get(event_type)
    if spec is None:  # a type the catalog no longer has: its codes mean nothing to a reader
        return []
    return [
        (field.label, _value_text(field, fields[name]))
        for name, field in spec.fields.items()
        if name in fields and fields[name] is not None
    ]
