"""Seeded random cases that press on the catalog's edges, for checking the two evaluators agree.

Unlike a plausible population, these cases aim at what breaks evaluators: amounts exactly at a cap,
one fen either side, thresholds, dates on the validity boundaries, missing fields, every option of
every field, several events of one type in one year, prior grants for every overlap group.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from jinchuang.policy import expr
from jinchuang.policy.case import Applicant, Case, Event, PriorGrant, Scalar
from jinchuang.policy.catalog import Catalog
from jinchuang.policy.money import fen_to_yuan
from jinchuang.policy.schema import EventField, MeasureKind
from jinchuang.policy.vocabulary import OrgKind, Valley

FEN = Decimal("0.01")


def _constants(catalog: Catalog) -> tuple[list[Decimal], list[Decimal]]:
    """Amounts (caps, tiers, ranges) and rates (constants below 1) named anywhere in the catalog."""
    amounts: set[Decimal] = set()
    rates: set[Decimal] = set()
    for _, m in catalog.measures():
        for caps in [m.caps, *[r.caps for r in m.rules]]:
            amounts.update(v for v in (caps.per_award, caps.per_entity_per_year, caps.cumulative_per_entity) if v)
        for r in m.rules:
            amounts.update((r.table or {}).values())
            for parameter in r.parameters.values():  # named parameters are the clause's numbers too
                for number in parameter.numbers():
                    (rates if 0 < number < 1 else amounts).add(number)
            amounts.update(r.review_range or ())
            for source in r.expressions():
                for node in expr.walk(expr.parse(source)):
                    if (
                        isinstance(node, expr.Const)
                        and isinstance(node.value, Decimal)
                        and not isinstance(node.value, bool)
                    ):
                        (rates if 0 < node.value < 1 else amounts).add(node.value)
    return sorted(amounts), sorted(rates)


class BoundaryCases:
    def __init__(self, catalog: Catalog, seed: int = 0) -> None:
        self.catalog = catalog
        self.rng = random.Random(seed)
        amounts, rates = _constants(catalog)
        pool: set[Decimal] = set()
        for a in amounts:
            pool.update({a, a + FEN, max(a - FEN, Decimal(0))})
            for r in rates:
                base = (a / r).quantize(FEN)
                pool.update({base, base + FEN, max(base - FEN, Decimal(0))})
        self.money_pool = sorted(p for p in pool if p < Decimal("1e10"))
        self.int_pool = sorted(
            {int(a) for a in amounts if a < 100} | {0, 1, 2, 3, 4, 5, 6, 11, 12, 13, 24, 35, 36, 37, 59, 60, 61}
        )
        self.ratio_pool = sorted(set(rates) | {Decimal(0), Decimal("0.5"), Decimal(1)})
        edges: set[dt.date] = set()
        for d in catalog.documents:
            for day in (d.valid_from, d.valid_to):
                edges.update({day, day - dt.timedelta(days=1), day + dt.timedelta(days=1)})
        self.date_edges = sorted(edges)
        self.cash_rules = [((d, m), r) for d, m in catalog.measures() if m.kind is MeasureKind.CASH for r in m.rules]
        self.cash_event_types = sorted(
            {r.event for _, m in catalog.measures() if m.kind is MeasureKind.CASH for r in m.rules}
        )
        self.overlap_groups = sorted({m.overlap_group for _, m in catalog.measures() if m.overlap_group})
        self.certs = sorted(
            {
                name[5:]
                for _, m in catalog.measures()
                for r in m.rules
                for c in r.conditions
                for name in expr.names(expr.parse(c.expr))
                if name.startswith("cert_")
            }
        )

    def _date(self) -> dt.date:
        if self.rng.random() < 0.3:
            return self.rng.choice(self.date_edges)
        return dt.date(2024, 6, 1) + dt.timedelta(days=self.rng.randrange(0, 365 * 6))

    def _money(self) -> Decimal:
        roll = self.rng.random()
        if roll < 0.55:
            return self.rng.choice(self.money_pool)
        if roll < 0.8:
            return fen_to_yuan(self.rng.randrange(0, 5_000_000_00))
        return Decimal(self.rng.choice([1, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000, 5000])) * 10_000

    def _value(self, f: EventField) -> Scalar:
        if self.rng.random() < (0.04 if f.required else 0.12):
            return None
        if f.type == "money":
            return self._money()
        if f.type == "int":
            return Decimal(self.rng.choice(self.int_pool))
        if f.type == "ratio":
            return self.rng.choice(self.ratio_pool)
        if f.type == "bool":
            return self.rng.random() < 0.75
        if f.options:
            return self.rng.choice(list(f.options))
        return self.rng.choice(["", "x"])

    def _satisfy(self, node: expr.Node, fields: dict[str, Scalar], spec: EventField | None = None) -> None:
        """Set event fields so that a simple condition holds (best effort; other shapes are left)."""
        rng = self.rng
        if isinstance(node, expr.BoolOp):
            targets = node.operands if node.op == "and" else (rng.choice(node.operands),)
            for operand in targets:
                self._satisfy(operand, fields)
        elif isinstance(node, expr.Var):
            fields[node.name] = True
        elif isinstance(node, expr.Not) and isinstance(node.operand, expr.Var):
            fields[node.operand.name] = False
        elif isinstance(node, expr.InSet) and isinstance(node.value, expr.Var) and not node.negate and node.options:
            fields[node.value.name] = rng.choice(node.options)
        elif isinstance(node, expr.Compare) and isinstance(node.left, expr.Var) and isinstance(node.right, expr.Const):
            value = node.right.value
            if isinstance(value, Decimal) and not isinstance(value, bool):
                step = {
                    ">": Decimal(1),
                    ">=": Decimal(rng.choice([0, 0, 1, 5])),
                    "==": Decimal(0),
                    "<": Decimal(-1),
                    "<=": Decimal(-rng.choice([0, 1])),
                }.get(node.op)
                if step is not None:
                    fields[node.left.name] = max(value + step, Decimal(0))
            elif node.op == "==":
                fields[node.left.name] = value

    def _targeted(self, index: int) -> tuple[Event, OrgKind | None, set[str]]:
        """An event built to meet one cash rule's conditions, and the applicant it needs."""
        measure, rule = self.rng.choice(self.cash_rules)
        spec = self.catalog.vocabulary[rule.event]
        fields: dict[str, Scalar] = {name: v for name, f in spec.fields.items() if (v := self._value(f)) is not None}
        wanted: dict[str, Scalar] = {}
        parameters: dict[str, Scalar] = {name: p.numbers()[-1] for name, p in rule.parameters.items()}
        for cond in rule.conditions:
            self._satisfy(expr.substitute(expr.parse(cond.expr), parameters), wanted)
        certs = {k[5:] for k, v in wanted.items() if k.startswith("cert_") and v}
        kind = wanted.get("applicant_kind")
        for name, value in wanted.items():
            if name in spec.fields and self.rng.random() < 0.93:
                f = spec.fields[name]
                if f.type == "int" and isinstance(value, Decimal):
                    value = value.to_integral_value()
                if f.type == "ratio" and isinstance(value, Decimal) and value > 1:
                    value = Decimal(1)
                fields[name] = value
        for name in ("level", "degree", "platform"):  # pick a tier the rule's table knows
            if rule.table and name in spec.fields and self.rng.random() < 0.8:
                if rule.amount and name in expr.names(expr.parse(rule.amount)):
                    fields[name] = self.rng.choice(list(rule.table))
        window_from = measure[1].valid_from or measure[0].valid_from
        window_to = measure[1].valid_to or measure[0].valid_to
        span = max((window_to - window_from).days, 1)
        date = window_from + dt.timedelta(days=self.rng.randrange(0, span + 1))
        chosen_kind = (
            OrgKind(kind)
            if isinstance(kind, str) and kind in OrgKind.__members__.values()
            else self.rng.choice(measure[1].beneficiaries)
        )
        return Event(type=rule.event, date=date, fields=fields, index=index), chosen_kind, certs

    def case(self) -> Case:
        rng = self.rng
        kind = rng.choice([OrgKind.ENTERPRISE] * 5 + list(OrgKind))
        settled = None if rng.random() < 0.15 else self._date()
        certs = {c for c in self.certs if rng.random() < 0.3}
        events = []
        for index in range(rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 8])):
            if rng.random() < 0.5:
                event, wanted_kind, wanted_certs = self._targeted(index)
                if wanted_kind is not None and rng.random() < 0.85:
                    kind = wanted_kind
                certs |= wanted_certs
                if settled is not None and settled > event.date and rng.random() < 0.8:
                    settled = event.date - dt.timedelta(days=rng.randrange(0, 800))
                events.append(event)
                continue
            etype = rng.choice(self.cash_event_types)
            spec = self.catalog.vocabulary[etype]
            fields: dict[str, Scalar] = {
                name: v for name, f in spec.fields.items() if (v := self._value(f)) is not None
            }
            events.append(Event(type=etype, date=self._date(), fields=fields, index=index))
        applicant = Applicant(
            kind=kind, valley=rng.choice(list(Valley)), settled_on=settled, certifications=tuple(sorted(certs))
        )
        if events and rng.random() < 0.35:  # several events of one type close together (yearly caps)
            first = rng.choice(events)
            for _ in range(rng.randrange(1, 4)):
                copied: dict[str, Scalar] = dict(first.fields)
                for name, f in self.catalog.vocabulary[first.type].fields.items():
                    if f.type == "money":
                        copied[name] = self._money()
                events.append(
                    Event(
                        type=first.type,
                        date=first.date + dt.timedelta(days=rng.randrange(0, 200)),
                        fields=copied,
                        index=len(events),
                    )
                )
        grants = []
        if rng.random() < 0.25:
            for _ in range(rng.randrange(1, 3)):
                grants.append(
                    PriorGrant(
                        matter=rng.choice(self.overlap_groups),
                        amount=self._money(),
                        date=self._date(),
                        policy="另一项政策",
                        level=rng.choice(["", "provincial", "city", "national"]),
                    )
                )
        as_of = max([e.date for e in events], default=dt.date(2026, 1, 1))
        as_of += dt.timedelta(days=rng.randrange(0, 400))
        return Case(as_of=as_of, applicant=applicant, events=tuple(events), prior_grants=tuple(grants))

    def cases(self, n: int) -> list[Case]:
        return [self.case() for _ in range(n)]
