"""The case format: an applicant, dated events, prior grants and an as-of date.

``parse_case`` turns untrusted JSON/YAML data into a :class:`Case`, checking every
event field against the event vocabulary.  Every problem is reported as a
:class:`CaseError` holding one :class:`FieldProblem` per bad field, each naming
the field by its path (``events[0].amount``) with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from jinchuang.policy import money
from jinchuang.policy.catalog import Catalog
from jinchuang.policy.i18n import gettext
from jinchuang.policy.schema import EventType
from jinchuang.policy.vocabulary import OrgKind, Valley, parse_valley

Scalar = Decimal | str | bool | None


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class CaseError(ValueError):
    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Applicant:
    kind: OrgKind
    name: str = ""
    valley: Valley | None = None
    settled_on: dt.date | None = None
    certifications: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    type: str
    date: dt.date
    fields: Mapping[str, Scalar]
    index: int = 0
    ref: str = ""


@dataclass(frozen=True)
class PriorGrant:
    matter: str
    amount: Decimal
    date: dt.date
    policy: str
    level: str = ""


@dataclass(frozen=True)
class Case:
    as_of: dt.date
    applicant: Applicant
    events: tuple[Event, ...] = ()
    prior_grants: tuple[PriorGrant, ...] = ()
    notes: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


class _Reader:
    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(FieldProblem(path, message))

    def date(self, data: Mapping[str, Any], key: str, path: str, required: bool = True) -> dt.date | None:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.fail(path, gettext("必填, 请填写日期 (YYYY-MM-DD)"))
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.fail(path, gettext("日期格式错误 '%(value)s', 应为 YYYY-MM-DD") % {"value": value})
        return None

    def money(self, value: object, path: str) -> Decimal | None:
        try:
            return money.parse_yuan(value)
        except money.MoneyError as exc:
            self.fail(path, str(exc))
            return None


_MATTERS: dict[int, tuple[Catalog, tuple[str, ...]]] = {}


def catalog_matters(catalog: Catalog) -> tuple[str, ...]:
    """The matters a prior grant may name: the catalog's ``overlap_group`` values, sorted (cached per catalog)."""
    cached = _MATTERS.get(id(catalog))
    if cached is None or cached[0] is not catalog:
        groups = tuple(sorted({m.overlap_group for _, m in catalog.measures() if m.overlap_group}))
        cached = _MATTERS[id(catalog)] = (catalog, groups)
    return cached[1]


def parse_case(data: object, catalog: Catalog) -> Case:
    """Validate untrusted case data against the catalog's event vocabulary and matters; raise CaseError."""
    vocabulary = catalog.vocabulary
    r = _Reader()
    if not isinstance(data, Mapping):
        raise CaseError([FieldProblem("$", gettext("案例必须是一个 JSON 对象"))])
    unknown = set(data) - {"as_of", "applicant", "events", "prior_grants", "notes", "$schema", "name"}
    for key in sorted(unknown):
        r.fail(key, gettext("未知字段"))
    as_of = r.date(data, "as_of", "as_of")
    applicant = _parse_applicant(r, data.get("applicant"))
    events = _parse_events(r, data.get("events", []), vocabulary)
    grants = _parse_grants(r, data.get("prior_grants", []), catalog_matters(catalog))
    if r.problems or as_of is None or applicant is None:
        raise CaseError(r.problems)
    late = [e for e in events if e.date > as_of]
    for e in late:
        r.fail(
            f"events[{e.index}].date",
            gettext("事件日期 %(date)s 晚于计算基准日 %(as_of)s") % {"date": e.date, "as_of": as_of},
        )
    if r.problems:
        raise CaseError(r.problems)
    return Case(
        as_of=as_of,
        applicant=applicant,
        events=tuple(events),
        prior_grants=tuple(grants),
        notes=str(data.get("notes", "")),
    )


def _parse_applicant(r: _Reader, raw: object) -> Applicant | None:
    if not isinstance(raw, Mapping):
        r.fail("applicant", gettext("必填, 须包含 kind (主体类型)"))
        return None
    for key in sorted(set(raw) - {"kind", "name", "valley", "settled_on", "certifications"}):
        r.fail(f"applicant.{key}", gettext("未知字段"))
    kind: OrgKind | None = None
    try:
        kind = OrgKind(str(raw.get("kind")))
    except ValueError:
        r.fail(
            "applicant.kind",
            gettext("未知的主体类型 '%(kind)s', 可选: %(choices)s")
            % {"kind": raw.get("kind"), "choices": ", ".join(k.value for k in OrgKind)},
        )
    valley: Valley | None = None
    if raw.get("valley") not in (None, ""):
        try:
            valley = parse_valley(raw.get("valley"))
        except ValueError as exc:
            r.fail("applicant.valley", str(exc))
    settled_on = r.date(raw, "settled_on", "applicant.settled_on", required=False)
    certs = raw.get("certifications", [])
    if not isinstance(certs, list) or not all(isinstance(c, str) for c in certs):
        r.fail("applicant.certifications", gettext("须为字符串列表"))
        certs = []
    if kind is None:
        return None
    return Applicant(
        kind=kind, name=str(raw.get("name", "")), valley=valley, settled_on=settled_on, certifications=tuple(certs)
    )


_EVENT_KEYS = frozenset({"type", "date", "ref"})


def _parse_events(r: _Reader, raw: object, vocabulary: Mapping[str, EventType]) -> list[Event]:
    if not isinstance(raw, list):
        r.fail("events", gettext("须为事件列表"))
        return []
    events: list[Event] = []
    for i, item in enumerate(raw):
        path = f"events[{i}]"
        if not isinstance(item, Mapping):
            r.fail(path, gettext("事件须为对象"))
            continue
        etype = item.get("type")
        spec = vocabulary.get(etype) if isinstance(etype, str) else None
        if spec is None:
            r.fail(f"{path}.type", gettext("未知的事件类型 '%(type)s'") % {"type": etype})
            continue
        date = r.date(item, "date", f"{path}.date")
        values: dict[str, Scalar] = {}
        fields = spec.fields
        for name in item:  # only the fields the event gives; the required ones are checked after
            if name in _EVENT_KEYS:
                continue
            fspec = fields.get(name)
            if fspec is None:
                r.fail(f"{path}.{name}", gettext("事件类型 %(type)s 没有此字段") % {"type": etype})
                continue
            value = item[name]
            if value is None or value == "":
                continue
            values[name] = _field_value(r, f"{path}.{name}", fspec.type, fspec.label, fspec.options, value)
        for name, fspec in fields.items():
            if fspec.required and name not in values and item.get(name) in (None, ""):
                r.fail(f"{path}.{name}", gettext("必填: %(label)s") % {"label": fspec.label})
        if date is not None and isinstance(etype, str):
            events.append(Event(type=etype, date=date, fields=values, index=i, ref=str(item.get("ref", ""))))
    return events


def _field_value(
    r: _Reader, path: str, ftype: str, label: str, options: Mapping[str, str] | None, value: object
) -> Scalar:
    if ftype == "money":
        return r.money(value, path)
    if ftype == "int" and type(value) is int and value >= 0:
        return Decimal(value)
    if ftype in ("int", "ratio"):
        if isinstance(value, (bool, float)):
            r.fail(
                path,
                (gettext("%(label)s须为整数") if ftype == "int" else gettext("%(label)s须为比例字符串"))
                % {"label": label},
            )
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            r.fail(path, gettext("%(label)s格式错误 '%(value)s'") % {"label": label, "value": value})
            return None
        if not number.is_finite() or number < 0 or (ftype == "int" and number != number.to_integral_value()):
            r.fail(
                path,
                (gettext("%(label)s须为非负整数") if ftype == "int" else gettext("%(label)s须为非负数"))
                % {"label": label},
            )
            return None
        if ftype == "ratio" and number > 1:
            r.fail(path, gettext("%(label)s须在 0 到 1 之间") % {"label": label})
            return None
        return number
    if ftype == "bool":
        if isinstance(value, bool):
            return value
        r.fail(path, gettext("%(label)s须为 true 或 false") % {"label": label})
        return None
    text = str(value).strip()
    if options is not None and text not in options:
        r.fail(
            path,
            gettext("%(label)s的取值 '%(value)s' 无效, 可选: %(choices)s")
            % {"label": label, "value": text, "choices": ", ".join(options)},
        )
        return None
    return text


def _parse_grants(r: _Reader, raw: object, matters: tuple[str, ...]) -> list[PriorGrant]:
    if not isinstance(raw, list):
        r.fail("prior_grants", gettext("须为列表"))
        return []
    grants: list[PriorGrant] = []
    for i, item in enumerate(raw):
        path = f"prior_grants[{i}]"
        if not isinstance(item, Mapping):
            r.fail(path, gettext("须为对象"))
            continue
        matter = item.get("matter")
        if not isinstance(matter, str) or not matter:
            r.fail(
                f"{path}.matter",
                gettext("必填: 事项 (与措施的 overlap_group 相同), 可选: %(choices)s")
                % {"choices": ", ".join(matters)},
            )
        elif matter not in matters:
            valid = ", ".join(matters)
            r.fail(
                f"{path}.matter",
                gettext("未知的事项 '%(matter)s', 须为某项措施的 overlap_group, 可选: %(choices)s")
                % {"matter": matter, "choices": valid},
            )
            matter = None
        amount = r.money(item.get("amount"), f"{path}.amount") if item.get("amount") is not None else None
        if item.get("amount") is None:
            r.fail(f"{path}.amount", gettext("必填: 已获金额"))
        date = r.date(item, "date", f"{path}.date")
        policy = item.get("policy")
        if not isinstance(policy, str) or not policy:
            r.fail(f"{path}.policy", gettext("必填: 政策名称"))
        level = str(item.get("level", ""))
        if level not in ("", "national", "provincial", "city", "other"):
            r.fail(f"{path}.level", gettext("可选: national, provincial, city, other"))
        if isinstance(matter, str) and matter and amount is not None and date is not None and isinstance(policy, str):
            grants.append(PriorGrant(matter=matter, amount=amount, date=date, policy=policy, level=level))
    return grants


def case_to_data(case: Case) -> dict[str, Any]:
    """The inverse of parse_case, for storing and re-displaying a case."""

    def scalar(v: Scalar) -> Any:
        return str(v) if isinstance(v, Decimal) else v

    return {
        "as_of": case.as_of.isoformat(),
        "applicant": {
            "kind": case.applicant.kind.value,
            "name": case.applicant.name,
            "valley": case.applicant.valley.value if case.applicant.valley else None,
            "settled_on": case.applicant.settled_on.isoformat() if case.applicant.settled_on else None,
            "certifications": list(case.applicant.certifications),
        },
        "events": [
            {"type": e.type, "date": e.date.isoformat(), **{k: scalar(v) for k, v in e.fields.items()}}
            for e in case.events
        ],
        "prior_grants": [
            {
                "matter": g.matter,
                "amount": str(g.amount),
                "date": g.date.isoformat(),
                "policy": g.policy,
                **({"level": g.level} if g.level else {}),
            }
            for g in case.prior_grants
        ],
    }


def parse_event(data: object, vocabulary: Mapping[str, EventType]) -> Event:
    """One event (``{"type": ..., "date": ..., field: value, ...}``) checked against the vocabulary, as
    ``parse_case`` checks each of a case's events; problems name the event's own fields (``amount``)."""
    r = _Reader()
    events = _parse_events(r, [data], vocabulary)
    if r.problems or not events:
        problems = r.problems or [FieldProblem("$", gettext("事件须为对象"))]
        raise CaseError(
            [FieldProblem(p.field.removeprefix("events[0]").lstrip(".") or "$", p.message) for p in problems]
        )
    return events[0]


def _canonical_value(value: Scalar, field_type: str | None) -> Any:
    """One field's value as the engine reads it: money in integer fen, numbers without trailing zeros,
    booleans, option codes and text as parsed."""
    if isinstance(value, Decimal):
        if field_type == "money":
            return money.yuan_to_fen(value)
        return format(value.normalize(), "f")
    return value


def event_canonical_fields(event: Event, vocabulary: Mapping[str, EventType]) -> dict[str, Any]:
    """The event's fields in their one stored form (money in fen): how the organisation record keeps a
    fact, so that one contract is one fact however its amount was typed."""
    spec = vocabulary.get(event.type)
    return {
        name: _canonical_value(value, spec.fields[name].type if spec is not None and name in spec.fields else None)
        for name, value in sorted(event.fields.items())
        if value is not None
    }


def canonical_event_digest(event_type: str, date: dt.date, fields: Mapping[str, Any]) -> str:
    """A stable name for one event from its type, date and canonical fields (see
    :func:`event_canonical_fields`); the free-text ``ref`` is not part of it."""
    canonical = json.dumps(
        {"type": event_type, "date": date.isoformat(), "fields": dict(fields)},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:24]


def event_digest(event: Event, vocabulary: Mapping[str, EventType]) -> str:
    """The digest of a parsed event: the same contract gives the same digest however its amount was
    written ("800000", "800000.00", 800000, "800,000")."""
    return canonical_event_digest(event.type, event.date, event_canonical_fields(event, vocabulary))


def event_data_from_canonical(
    event_type: str, date: dt.date, fields: Mapping[str, Any], vocabulary: Mapping[str, EventType], ref: str = ""
) -> dict[str, Any]:
    """The case-format event (money back in yuan) for a fact stored in canonical form."""
    spec = vocabulary.get(event_type)
    data: dict[str, Any] = {"type": event_type, "date": date.isoformat()}
    for name, value in fields.items():
        ftype = spec.fields[name].type if spec is not None and name in spec.fields else None
        data[name] = str(money.fen_to_yuan(int(value))) if ftype == "money" else value
    if ref:
        data["ref"] = ref
    return data
