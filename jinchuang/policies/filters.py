"""The policy library's filters: parsed from GET parameters, each bad value named in Chinese."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from jinchuang.policies.labels import category_label
from jinchuang.policy.schema import MEASURE_KIND_LABELS, MeasureKind
from jinchuang.policy.vocabulary import ORG_KIND_LABELS, OrgKind, Valley, parse_valley

FILTER_NAMES = ("valley", "category", "beneficiary", "department", "kind", "q")
MAX_QUERY_LENGTH = 100


def filter_labels() -> dict[str, str]:
    return {
        "valley": _("晋创谷"),
        "category": _("政策类别"),
        "beneficiary": _("适用对象"),
        "department": _("部门"),
        "kind": _("支持方式"),
        "q": _("关键词"),
    }


@dataclass(frozen=True)
class LibraryFilters:
    valley: Valley | None = None
    category: str | None = None
    beneficiary: OrgKind | None = None
    department: str | None = None
    kind: MeasureKind | None = None
    q: str = ""

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in FILTER_NAMES)


@dataclass(frozen=True)
class FilterProblem:
    field: str
    message: str


class InvalidFilters(ValueError):
    def __init__(self, problems: list[FilterProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


def _choices(values: Iterable[str]) -> str:
    return _("、").join(values)


def parse_filters(
    params: Mapping[str, str | None], *, categories: Iterable[str], departments: Iterable[str]
) -> LibraryFilters:
    """Read the filters; raise InvalidFilters naming every bad one. Empty values mean "all"."""
    labels = filter_labels()
    problems: list[FilterProblem] = []

    def value(name: str) -> str:
        return (params.get(name) or "").strip()

    def bad(name: str, raw: str, allowed: str) -> None:
        problems.append(
            FilterProblem(
                name,
                _("筛选条件“%(label)s”的取值“%(value)s”无效, 请从以下选项中选择: %(allowed)s")
                % {"label": labels[name], "value": raw, "allowed": allowed},
            )
        )

    valley: Valley | None = None
    if raw := value("valley"):
        try:
            valley = parse_valley(raw)
        except ValueError:
            bad("valley", raw, _choices(v.value for v in Valley))
    category: str | None = None
    if raw := value("category"):
        known = sorted(set(categories))
        if raw in known:
            category = raw
        else:
            bad("category", raw, _choices(str(category_label(c)) for c in known))
    beneficiary: OrgKind | None = None
    if raw := value("beneficiary"):
        try:
            beneficiary = OrgKind(raw)
        except ValueError:
            bad("beneficiary", raw, _choices(_(label) for label in ORG_KIND_LABELS.values()))
    department: str | None = None
    if raw := value("department"):
        if raw in set(departments):
            department = raw
        else:
            problems.append(
                FilterProblem(
                    "department",
                    _("筛选条件“%(label)s”的取值“%(value)s”无效: 政策库中没有这个牵头或配合部门")
                    % {"label": labels["department"], "value": raw},
                )
            )
    kind: MeasureKind | None = None
    if raw := value("kind"):
        try:
            kind = MeasureKind(raw)
        except ValueError:
            bad("kind", raw, _choices(_(label) for label in MEASURE_KIND_LABELS.values()))
    query = value("q")
    if len(query) > MAX_QUERY_LENGTH:
        problems.append(
            FilterProblem(
                "q",
                _("筛选条件“%(label)s”过长: 最多 %(max)s 个字") % {"label": labels["q"], "max": MAX_QUERY_LENGTH},
            )
        )
    if problems:
        raise InvalidFilters(problems)
    return LibraryFilters(
        valley=valley, category=category, beneficiary=beneficiary, department=department, kind=kind, q=query
    )
