"""The declare / enter / correct form of one fact: generated from the case vocabulary (labels, option
selects, booleans, money, integers), with date, 编号/备注, 对象姓名 (hires only) and evidence files.
Posted values → event data for the record's services; their problems → messages beside the fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.http import QueryDict

from jinchuang.policy.case import CaseError, event_data_from_canonical
from jinchuang.policy.catalog import default_catalog
from jinchuang.records.eventfields import event_fields, event_type_choices
from jinchuang.records.models import Fact

PREFIX = "ev"
#: event types whose fact names a person (kept masked on the record)
SUBJECT_TYPES = frozenset({"person_hired"})
#: form inputs that are not event fields
PLAIN_INPUTS = ("date", "ref", "subject", "note", "reason", "evidence")


def known_type(event_type: str) -> bool:
    return event_type in default_catalog().vocabulary


def event_data_from_post(post: QueryDict, event_type: str) -> dict[str, Any]:
    """The event as the case format writes it (booleans as booleans; empty inputs left out)."""
    data: dict[str, Any] = {"type": event_type, "date": post.get("date", "").strip()}
    ref = post.get("ref", "").strip()
    if ref:
        data["ref"] = ref
    spec = default_catalog().vocabulary.get(event_type)
    for name, field in spec.fields.items() if spec else ():
        raw = post.get(f"{PREFIX}-{name}", "").strip()
        if raw == "":
            continue
        data[name] = (raw == "true") if field.type == "bool" and raw in ("true", "false") else raw
    return data


def values_of(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("type", "date", "ref")}


def input_name(field: str, event_type: str) -> str:
    """The form input a service's problem concerns (an event field → ``ev-<name>``)."""
    spec = default_catalog().vocabulary.get(event_type)
    head = field.split(".", 1)[0].split("[", 1)[0]
    if spec is not None and head in spec.fields:
        return f"{PREFIX}-{head}"
    if head in PLAIN_INPUTS:
        return head
    if head in ("file",):
        return "evidence"
    return "__all__"


def errors_of(exc: Exception, event_type: str) -> dict[str, str]:
    """Messages keyed by input name (``__all__``: the form as a whole)."""
    errors: dict[str, str] = {}
    if isinstance(exc, CaseError):
        for problem in exc.problems:
            errors.setdefault(input_name(problem.field, event_type), problem.message)
    elif isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            errors.setdefault(input_name(field, event_type), "; ".join(str(m) for m in messages))
    elif isinstance(exc, ValidationError):
        errors["__all__"] = "; ".join(str(m) for m in exc.messages)
    else:
        errors["__all__"] = str(exc)
    return errors


def form_context(
    event_type: str,
    post: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What ``records/_fact_form.html`` renders: the type choices and the chosen type's fields."""
    post = post or {}
    errors = dict(errors or {})
    if values is None:
        values = {k[len(PREFIX) + 1 :]: v for k, v in post.items() if k.startswith(f"{PREFIX}-")}
    return {
        "event_type": event_type,
        "event_types": event_type_choices(),
        "fields": event_fields(event_type, values, errors, prefix=PREFIX) if event_type else [],
        "prefix": PREFIX,
        "asks_subject": event_type in SUBJECT_TYPES,
        "values": {name: post.get(name, "") for name in ("date", "ref", "subject", "note", "reason")},
        "errors": errors,
        "form_error": errors.get("__all__", ""),
    }


def fact_values(fact: Fact) -> dict[str, Any]:
    """A stored fact as the form shows it (money back in yuan), to prefill a correction."""
    data = event_data_from_canonical(fact.event_type, fact.date, fact.fields, default_catalog().vocabulary, fact.ref)
    return values_of(data)
