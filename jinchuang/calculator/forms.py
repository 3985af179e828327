"""Turning the calculator page's form fields into case data, and errors back into form fields."""

from __future__ import annotations

import re
from typing import Any

from django.http import QueryDict

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
