"""The case form, one public module for every face that asks for a case (calculator, where-to-settle,
免申即享 offers, the application form): form fields → case data, the form's context (rows of events
and prior grants, choices), and the engine's problems mapped back to the fields. Its template is the
include ``calculator/_case_form.html`` (event rows: ``calculator/_event_row.html``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.http import QueryDict

from jinchuang.calculator import selectors
from jinchuang.policy.case import CaseError
from jinchuang.policy.schema import Measure

#: the case an empty calculator or where-to-settle form starts from
DEFAULT_CASE: dict[str, Any] = {
    "as_of": "",
    "applicant": {"kind": "enterprise", "valley": "晋城"},
    "events": [{"type": "tech_contract_registered", "date": ""}],
    "prior_grants": [],
}

_ROW = re.compile(r"^(ev|pg)-(\d+)-([a-z_]+)$")
PRIOR_GRANT_FIELDS = ("matter", "amount", "date", "policy", "level")


def case_from_form(post: QueryDict) -> tuple[dict[str, Any], dict[str, str]]:
    """Return (case data, map from case field path to form field name prefix)."""
    rows: dict[tuple[str, int], dict[str, str]] = {}
    for key in post:
        match = _ROW.match(key)
        if match:
            kind, index, name = match.group(1), int(match.group(2)), match.group(3)
            rows.setdefault((kind, index), {})[name] = post.get(key, "").strip()
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
        "examples": selectors.worked_examples(),
    }


def form_error_context(case_data: dict[str, Any], exc: CaseError, paths: dict[str, str], scope: str) -> dict[str, Any]:
    """The form again, each problem of the case shown beside its field and listed above the form."""
    errors: dict[str, str] = {}
    for problem in exc.problems:
        errors.setdefault(form_field(problem.field, paths), problem.message)
    context = form_context(case_data, _renumber(errors, paths), scope)
    context["problems"] = [(p.field, p.message) for p in exc.problems]
    return context


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
