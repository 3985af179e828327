"""The JSON Schema of the case format, generated from the event vocabulary (docs/case.schema.json)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinchuang.policy.schema import EventType
from jinchuang.policy.vocabulary import OrgKind, Valley

_MONEY = {
    "type": ["string", "integer"],
    "pattern": r"^[0-9]+(\.[0-9]{1,2})?$",
    "minimum": 0,
    "description": "元, 字符串或整数, 最多两位小数, 不接受浮点数",
}
_DATE = {"type": "string", "format": "date"}


def _field(ftype: str, label: str, options: Mapping[str, str] | None) -> dict[str, Any]:
    if ftype == "money":
        return {**_MONEY, "title": label}
    if ftype == "int":
        return {"type": "integer", "minimum": 0, "title": label}
    if ftype == "ratio":
        return {"type": "string", "pattern": r"^(0(\.[0-9]+)?|1(\.0+)?)$", "title": label}
    if ftype == "bool":
        return {"type": "boolean", "title": label}
    out: dict[str, Any] = {"type": "string", "title": label}
    if options:
        out["enum"] = list(options)
        out["description"] = "; ".join(f"{k}={v}" for k, v in options.items())
    return out


def case_json_schema(vocabulary: Mapping[str, EventType]) -> dict[str, Any]:
    events = []
    for name, spec in sorted(vocabulary.items()):
        props: dict[str, Any] = {"type": {"const": name}, "date": _DATE, "ref": {"type": "string"}}
        props.update({f: _field(s.type, s.label, s.options) for f, s in spec.fields.items()})
        required = ["type", "date", *[f for f, s in spec.fields.items() if s.required]]
        events.append(
            {
                "title": spec.label,
                "type": "object",
                "properties": props,
                "required": required,
                "additionalProperties": False,
            }
        )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://jinchuang.example/schemas/case.schema.json",
        "title": "晋创通 案例 (case)",
        "type": "object",
        "required": ["as_of", "applicant"],
        "additionalProperties": False,
        "properties": {
            "$schema": {"type": "string"},
            "name": {"type": "string"},
            "notes": {"type": "string"},
            "as_of": {**_DATE, "title": "计算基准日"},
            "applicant": {
                "type": "object",
                "required": ["kind"],
                "additionalProperties": False,
                "properties": {
                    "kind": {"enum": [k.value for k in OrgKind], "title": "主体类型"},
                    "name": {"type": "string"},
                    "valley": {"enum": [v.value for v in Valley], "title": "所在谷"},
                    "settled_on": {**_DATE, "title": "入驻日期"},
                    "certifications": {"type": "array", "items": {"type": "string"}},
                },
            },
            "events": {"type": "array", "items": {"oneOf": events}},
            "prior_grants": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["matter", "amount", "date", "policy"],
                    "additionalProperties": False,
                    "properties": {
                        "matter": {"type": "string", "title": "事项 (措施的 overlap_group)"},
                        "amount": _MONEY,
                        "date": _DATE,
                        "policy": {"type": "string"},
                        "level": {"enum": ["national", "provincial", "city", "other"]},
                    },
                },
            },
        },
    }
