"""Plain Chinese sentences for a measure, generated from the catalog: never code, ids or field paths.

A measure's conditions, formula, caps and interpretations are written by catalog authors as restricted
expressions (``platform == 'academician_station'``, ``amount * rate``).  People read sentences:
"平台类型为院士(专家)工作站", "按技术交易额的 20% 计算", "每年累计最高 100 万元".  This module walks the
parsed expression tree (:mod:`jinchuang.policy.expr`) and writes each node with the catalog's own words:
the event fields' Chinese labels and option labels (``events.yaml`` and each document's
``event_types``), the named parameters' labels, values and units (ADR 0006), the organisation kinds of
:mod:`jinchuang.policy.vocabulary`.  Nothing here reads the expression's source text.

Stable API (other faces call these; each takes an optional ``translate``, a gettext-like callable used
for the sentence frames — pages pass Django's ``gettext``; catalog words stay Chinese):

- ``quantity(value, unit)`` → ``'20 万元'`` / ``'36 个月'`` / ``'20%'`` / ``'3 年'``: a number of the
  law with its unit (``unit`` is a parameter unit: yuan, ratio, count, months, years).
- ``condition(source, event=..., vocabulary=..., parameters=...)`` → one condition as a sentence.
- ``amount(rule, vocabulary)`` → how a rule's amount is set: ``'按技术交易额的 20% 计算'``,
  ``'支持 100 万元'``, ``'经评审确定, 最高 20 万元'``.
- ``caps(caps)`` → ``['单项最高 100 万元', '每年累计最高 500 万元']``.
- ``rule(rule, vocabulary)`` → :class:`RuleText` (event, conditions, amount, caps) for one rule.
- ``measure(document, measure, vocabulary)`` → :class:`MeasureText`: the one-line ``summary`` used by
  the library, the comparison and the calculator, the rules' texts, the measure's caps, how several
  rules combine, instalments, 就高不重复 and stacking notes — or, for a measure that computes no amount
  (service, in kind, 一事一议, principle), a sentence saying what it gives.
- ``interpretation(interp, vocabulary)`` → the interpretation as a sentence, with any identifier the
  author quoted (an event field such as ``voucher_spent.amount``) replaced by its Chinese label.

Every measure of the shipped catalog produces sentences without code tokens
(``tests/policy/test_plain.py`` scans them all).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from jinchuang.policy import expr
from jinchuang.policy.categories import CATEGORY_LABELS
from jinchuang.policy.citation import clause_words
from jinchuang.policy.money import format_wan, format_yuan
from jinchuang.policy.schema import (
    MEASURE_KIND_LABELS,
    Caps,
    Document,
    EventField,
    EventType,
    Interpretation,
    Measure,
    MeasureKind,
    Parameter,
    Rule,
)
from jinchuang.policy.vocabulary import ORG_KIND_LABELS, gettext_noop

Translate = Callable[[str], str]


def _same(message: str) -> str:
    return message


# --- the words for names that are not event fields ---------------------------------------------------

APPLICANT_LABELS: dict[str, str] = {
    "applicant_kind": gettext_noop("申请主体类型"),
    "in_valley": gettext_noop("申请主体已入驻晋创谷"),
    "months_in_valley": gettext_noop("入驻晋创谷的月数"),
    "event_year": gettext_noop("事项发生年份"),
}

#: certifications an applicant may hold that no event type lists (``cert_<code>`` in conditions)
EXTRA_CERT_LABELS: dict[str, str] = {"high_tech_leader": gettext_noop("高科技领军企业")}

CAP_WORDS: dict[str, str] = {
    "per_award": gettext_noop("单项最高 %(amount)s"),
    "per_entity_per_year": gettext_noop("每年累计最高 %(amount)s"),
    "cumulative_per_entity": gettext_noop("累计最高 %(amount)s"),
}
CAP_ORDER = ("per_award", "per_entity_per_year", "cumulative_per_entity")
OTHER = gettext_noop("其他")
#: the Chinese enumeration comma, translated (", " in English)
LIST_SEP = gettext_noop("、")

_NUMERIC_OPS: dict[str, str] = {
    ">=": gettext_noop("%(left)s不少于%(right)s"),
    ">": gettext_noop("%(left)s高于%(right)s"),
    "<=": gettext_noop("%(left)s不超过%(right)s"),
    "<": gettext_noop("%(left)s低于%(right)s"),
    "==": gettext_noop("%(left)s等于%(right)s"),
    "!=": gettext_noop("%(left)s不等于%(right)s"),
}

_KIND_SENTENCES: dict[MeasureKind, str] = {
    MeasureKind.IN_KIND: gettext_noop("提供场地、租金等实物支持, 按条文原文执行, 不计算金额"),
    MeasureKind.SERVICE: gettext_noop("由平台提供服务, 按条文原文执行, 不计算金额"),
    MeasureKind.CASE_BY_CASE: gettext_noop("一事一议, 具体支持经研究确定, 不计算金额"),
    MeasureKind.PRINCIPLE: gettext_noop("原则或工作机制, 不直接给予资金"),
}


# --- numbers ------------------------------------------------------------------------------------------


def _number(value: Decimal) -> str:
    text = f"{value.normalize():,f}"
    return text


def money_text(value: Decimal) -> str:
    """'20 万元' from 10,000 yuan up, else '5,000.00 元' (the money module's two formats)."""
    return format_wan(value) if value >= 10_000 else format_yuan(value)


def quantity(value: Decimal, unit: str, translate: Translate = _same) -> str:
    """A number of the law with its unit: yuan, ratio, count, months or years."""
    if unit == "yuan":
        return money_text(value)
    if unit == "ratio":
        return f"{(value * 100).normalize():f}%"
    if unit == "months":
        return translate(gettext_noop("%(n)s 个月")) % {"n": _number(value)}
    if unit == "years":
        return translate(gettext_noop("%(n)s 年")) % {"n": _number(value)}
    return _number(value)


_FIELD_UNITS = {"money": "yuan", "ratio": "ratio", "int": "count", "str": "", "bool": ""}


# --- the context an expression is read in ------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    event: EventType | None
    vocabulary: Mapping[str, EventType]
    parameters: Mapping[str, Parameter]
    table: Mapping[str, Decimal] | None
    translate: Translate

    def t(self, message: str) -> str:
        return self.translate(message)

    def field(self, name: str) -> EventField | None:
        if self.event is not None and name in self.event.fields:
            return self.event.fields[name]
        return None

    def label(self, name: str) -> str:
        spec = self.field(name)
        if spec is not None:
            return spec.label
        if name in APPLICANT_LABELS:
            return self.t(APPLICANT_LABELS[name])
        if name.startswith("cert_"):
            return self.t(gettext_noop("持有“%(cert)s”资质")) % {"cert": self.cert_label(name[5:])}
        parameter = self.parameters.get(name)
        if parameter is not None:
            return parameter.label
        for spec_event in self.vocabulary.values():  # a field of another event type (shared names)
            other = spec_event.fields.get(name)
            if other is not None:
                return other.label
        return self.t(gettext_noop("相关数值"))

    def cert_label(self, code: str) -> str:
        cert = self.vocabulary.get("certification_granted")
        options = cert.fields["cert"].options if cert is not None and "cert" in cert.fields else None
        if options and code in options:
            return options[code]
        return EXTRA_CERT_LABELS.get(code, self.t(gettext_noop("所需资质")))

    def option_label(self, name: str, value: object) -> str:
        """The Chinese label of a coded value of field ``name``."""
        if name == "applicant_kind":
            for kind, text in ORG_KIND_LABELS.items():
                if kind.value == value:
                    return self.t(text)
        spec = self.field(name)
        if spec is not None and spec.options and isinstance(value, str) and value in spec.options:
            return spec.options[value]
        if isinstance(value, str):
            for event in self.vocabulary.values():  # the same field of another event lists the options
                other = event.fields.get(name)
                if other is not None and other.options and value in other.options:
                    return other.options[value]
            for event in self.vocabulary.values():
                for other in event.fields.values():
                    if other.options and value in other.options:
                        return other.options[value]
        if isinstance(value, Decimal):
            return _number(value)
        return self.t(OTHER)

    def unit_of(self, node: expr.Node) -> str:
        if isinstance(node, expr.Var):
            parameter = self.parameters.get(node.name)
            if parameter is not None:
                return parameter.unit
            spec = self.field(node.name)
            if spec is not None:
                return _FIELD_UNITS[spec.type]
            if node.name == "months_in_valley":
                return "months"
        if isinstance(node, expr.Lookup):
            return "yuan"
        if isinstance(node, expr.Call):
            units = {self.unit_of(a) for a in node.args} - {""}
            return units.pop() if len(units) == 1 else ""
        if isinstance(node, expr.BinOp) and node.op in "+-":
            units = {self.unit_of(node.left), self.unit_of(node.right)} - {""}
            return units.pop() if len(units) == 1 else ""
        if isinstance(node, expr.BinOp) and node.op == "*":
            factors = [self.unit_of(node.left), self.unit_of(node.right)]
            if "ratio" in factors:
                other = [u for u in factors if u != "ratio"]
                return other[0] if other else "ratio"
            if "yuan" in factors:
                return "yuan"
        return ""

    def is_ratio(self, node: expr.Node) -> bool:
        if isinstance(node, expr.Const) and isinstance(node.value, Decimal) and not isinstance(node.value, bool):
            return 0 < node.value <= 1 and node.value != 1
        return self.unit_of(node) == "ratio"

    def parameter_value(self, name: str) -> Decimal:
        """The value in force (the latest dated value) of a named parameter."""
        parameter = self.parameters[name]
        numbers = parameter.numbers()
        return numbers[-1]


# --- expressions as words --------------------------------------------------------------------------


def _noun(node: expr.Node, ctx: _Context, unit: str = "", nested: bool = False) -> str:
    """A quantity expression as a noun phrase: '技术交易额的 20%', '每月标准上限 2,000 元乘以月数'."""
    if isinstance(node, expr.Const):
        if isinstance(node.value, Decimal) and not isinstance(node.value, bool):
            return quantity(node.value, unit, ctx.translate) if unit else _number(node.value)
        return ctx.option_label("", node.value)
    if isinstance(node, expr.Var):
        if node.name in ctx.parameters:
            parameter = ctx.parameters[node.name]
            value = quantity(ctx.parameter_value(node.name), parameter.unit, ctx.translate)
            if parameter.unit == "ratio":
                return value
            return value if nested is False else f"{parameter.label} {value}"
        return ctx.label(node.name)
    if isinstance(node, expr.Lookup):
        return _table_noun(node, ctx)
    if isinstance(node, expr.Neg):
        return ctx.t(gettext_noop("负%(x)s")) % {"x": _noun(node.operand, ctx, unit, True)}
    if isinstance(node, expr.Call):
        return _call_noun(node, ctx, unit)
    if isinstance(node, expr.IfElse):
        return ctx.t(gettext_noop("%(test)s时为%(body)s, 否则为%(orelse)s")) % {
            "test": _sentence(node.test, ctx),
            "body": _noun(node.body, ctx, unit, True),
            "orelse": _noun(node.orelse, ctx, unit, True),
        }
    if isinstance(node, expr.BinOp):
        return _binop_noun(node, ctx, unit, nested)
    return _sentence(node, ctx)


def _table_noun(node: expr.Lookup, ctx: _Context) -> str:
    key = node.key
    name = key.name if isinstance(key, expr.Var) else ""
    tiers = ctx.t(LIST_SEP).join(f"{ctx.option_label(name, k)} {money_text(v)}" for k, v in (ctx.table or {}).items())
    words = ctx.t(gettext_noop("%(field)s对应的标准")) % {"field": ctx.label(name) if name else ""}
    return f"{words}({tiers})" if tiers else words


def _call_noun(node: expr.Call, ctx: _Context, unit: str) -> str:
    constants = [a for a in node.args if _is_constant(a, ctx)]
    others = [a for a in node.args if not _is_constant(a, ctx)]
    arg_unit = unit or ctx.unit_of(node)
    if len(others) == 1 and constants:
        inner = _noun(others[0], ctx, arg_unit, True)
        bound = ctx.t(LIST_SEP).join(_noun(c, ctx, _constant_unit(c, ctx, arg_unit), False) for c in constants)
        if node.func == "min":
            if arg_unit == "months" or any(_constant_unit(c, ctx, "") == "months" for c in constants):
                return ctx.t(gettext_noop("%(x)s(最长 %(bound)s)")) % {"x": inner, "bound": bound}
            return ctx.t(gettext_noop("%(x)s(最高 %(bound)s)")) % {"x": inner, "bound": bound}
        return ctx.t(gettext_noop("%(x)s(最低 %(bound)s)")) % {"x": inner, "bound": bound}
    parts = ctx.t(LIST_SEP).join(_noun(a, ctx, arg_unit, True) for a in node.args)
    if node.func == "min":
        return ctx.t(gettext_noop("%(parts)s中较低者")) % {"parts": parts}
    return ctx.t(gettext_noop("%(parts)s中较高者")) % {"parts": parts}


def _is_constant(node: expr.Node, ctx: _Context) -> bool:
    return isinstance(node, expr.Const) or (isinstance(node, expr.Var) and node.name in ctx.parameters)


def _constant_unit(node: expr.Node, ctx: _Context, fallback: str) -> str:
    if isinstance(node, expr.Var) and node.name in ctx.parameters:
        return ctx.parameters[node.name].unit
    return fallback


def _binop_noun(node: expr.BinOp, ctx: _Context, unit: str, nested: bool) -> str:
    if node.op == "*":
        pair: tuple[expr.Node, expr.Node] | None = None
        if ctx.is_ratio(node.right) and not ctx.is_ratio(node.left):
            pair = (node.left, node.right)
        elif ctx.is_ratio(node.left) and not ctx.is_ratio(node.right):
            pair = (node.right, node.left)
        if pair is not None:
            base, share = pair
            if isinstance(share, expr.Const) and share.value == 1:
                return _noun(base, ctx, unit, True)
            return ctx.t(gettext_noop("%(base)s的 %(share)s")) % {
                "base": _noun(base, ctx, ctx.unit_of(base), True),
                "share": _noun(share, ctx, "ratio", True),
            }
        text = ctx.t(gettext_noop("%(left)s乘以%(right)s")) % {
            "left": _noun(node.left, ctx, ctx.unit_of(node.left), True),
            "right": _noun(node.right, ctx, ctx.unit_of(node.right), True),
        }
        return text
    frames = {
        "+": gettext_noop("%(left)s加%(right)s"),
        "-": gettext_noop("%(left)s减去%(right)s"),
        "/": gettext_noop("%(left)s除以%(right)s"),
    }
    operand_unit = unit if node.op in "+-" else ""
    text = ctx.t(frames[node.op]) % {
        "left": _noun(node.left, ctx, operand_unit or ctx.unit_of(node.left), True),
        "right": _noun(node.right, ctx, operand_unit or ctx.unit_of(node.right), True),
    }
    return f"({text})" if nested and node.op in "+-" else text


def _bool_is(node: expr.Node, ctx: _Context, wanted: bool) -> str:
    label = _noun(node, ctx, "", True)
    if wanted:
        return label
    return ctx.t(gettext_noop("不属于“%(label)s”")) % {"label": label}


def _sentence(node: expr.Node, ctx: _Context, inside: str = "") -> str:
    """A condition (a boolean expression) as a sentence."""
    if isinstance(node, expr.BoolOp):
        parts = [_sentence(o, ctx, node.op) for o in node.operands]
        joiner = ctx.t(gettext_noop(", 且")) if node.op == "and" else ctx.t(gettext_noop("或"))
        text = joiner.join(parts)
        return f"({text})" if inside and inside != node.op else text
    if isinstance(node, expr.Not):
        return ctx.t(gettext_noop("不满足: %(x)s")) % {"x": _sentence(node.operand, ctx, "not")}
    if isinstance(node, expr.InSet):
        name = node.value.name if isinstance(node.value, expr.Var) else ""
        options = [ctx.option_label(name, o) for o in node.options]
        label = _noun(node.value, ctx, "", True)
        if len(options) == 1:
            listed = options[0]
        else:
            listed = ctx.t(gettext_noop("%(first)s或%(last)s")) % {
                "first": ctx.t(LIST_SEP).join(options[:-1]),
                "last": options[-1],
            }
        frame = gettext_noop("%(label)s不为%(options)s") if node.negate else gettext_noop("%(label)s为%(options)s")
        return ctx.t(frame) % {"label": label, "options": listed}
    if isinstance(node, expr.Compare):
        return _compare(node, ctx)
    if isinstance(node, expr.Var):
        return _bool_is(node, ctx, True)
    if isinstance(node, expr.Const):
        return ctx.t(gettext_noop("总是满足")) if node.value else ctx.t(gettext_noop("不满足"))
    return _noun(node, ctx, "", True)


def _compare(node: expr.Compare, ctx: _Context) -> str:
    left, right = node.left, node.right
    if isinstance(left, expr.Const) and not isinstance(right, expr.Const):  # 3 <= x reads as x >= 3
        flipped = {">=": "<=", "<=": ">=", ">": "<", "<": ">", "==": "==", "!=": "!="}[node.op]
        return _compare(expr.Compare(flipped, right, left), ctx)
    if isinstance(right, expr.Const) and isinstance(right.value, bool):
        wanted = right.value if node.op == "==" else not right.value
        return _bool_is(left, ctx, wanted)
    if isinstance(right, expr.Const) and isinstance(right.value, str):
        name = left.name if isinstance(left, expr.Var) else ""
        frame = gettext_noop("%(label)s为%(value)s") if node.op == "==" else gettext_noop("%(label)s不为%(value)s")
        return ctx.t(frame) % {"label": _noun(left, ctx, "", True), "value": ctx.option_label(name, right.value)}
    unit = ctx.unit_of(left) or ctx.unit_of(right)
    if isinstance(right, expr.Var) and right.name in ctx.parameters:
        unit = ctx.parameters[right.name].unit
    if (
        node.op == ">"
        and isinstance(right, expr.Const)
        and right.value == 0
        and isinstance(left, expr.Var)
        and left.name not in ctx.parameters
    ):
        spec = ctx.field(left.name)
        if spec is not None and spec.type == "money":
            return ctx.t(gettext_noop("%(label)s大于零")) % {"label": ctx.label(left.name)}
        return ctx.t(gettext_noop("%(label)s至少为 1")) % {"label": ctx.label(left.name)}
    return ctx.t(_NUMERIC_OPS[node.op]) % {
        "left": _noun(left, ctx, unit, True),
        "right": " " + _noun(right, ctx, unit, False),
    }


# --- public functions ---------------------------------------------------------------------------------


def _context(
    event: EventType | None,
    vocabulary: Mapping[str, EventType],
    parameters: Mapping[str, Parameter] | None,
    table: Mapping[str, Decimal] | None,
    translate: Translate,
) -> _Context:
    return _Context(event, vocabulary, parameters or {}, table, translate)


_PERCENT_CJK = re.compile(r"%(?=[\u4e00-\u9fff])")


def _spaced(text: str) -> str:
    """'50%不少于' → '50% 不少于' (a space between a percentage and the words after it)."""
    return _PERCENT_CJK.sub("% ", text)


def condition(
    source: str,
    *,
    event: EventType | None,
    vocabulary: Mapping[str, EventType],
    parameters: Mapping[str, Parameter] | None = None,
    translate: Translate = _same,
) -> str:
    """One condition expression as a Chinese sentence: ``platform == 'academician_station'`` →
    '平台类型为院士(专家)工作站'; ``contract_years >= min_contract_years`` → '劳动合同年限不少于 3 年'."""
    return _spaced(_sentence(expr.parse(source), _context(event, vocabulary, parameters, None, translate)))


def rule_condition(rule: Rule, source: str, vocabulary: Mapping[str, EventType], translate: Translate = _same) -> str:
    """A condition of ``rule`` (its event's fields, its parameters) as a sentence."""
    return condition(
        source, event=vocabulary.get(rule.event), vocabulary=vocabulary, parameters=rule.parameters, translate=translate
    )


def amount(rule: Rule, vocabulary: Mapping[str, EventType], translate: Translate = _same) -> str:
    """How the rule's amount is set, as a sentence (formula, fixed amount, tiers or review range)."""
    return _spaced(_amount(rule, vocabulary, translate))


def _amount(rule: Rule, vocabulary: Mapping[str, EventType], translate: Translate) -> str:
    ctx = _context(vocabulary.get(rule.event), vocabulary, rule.parameters, rule.table, translate)
    if rule.amount is not None:
        tree = expr.parse(rule.amount)
        if _is_constant(tree, ctx):
            return ctx.t(gettext_noop("支持 %(amount)s")) % {"amount": _noun(tree, ctx, "yuan")}
        if isinstance(tree, expr.Lookup):
            return ctx.t(gettext_noop("按%(tiers)s支持")) % {"tiers": _noun(tree, ctx, "yuan")}
        if isinstance(tree, expr.Var):
            return ctx.t(gettext_noop("按%(base)s全额支持")) % {"base": _noun(tree, ctx, "yuan", True)}
        formula = _noun(tree, ctx, "yuan", True)
        return ctx.t(gettext_noop("按%(formula)s计算")) % {"formula": formula}
    parts = [ctx.t(gettext_noop("需评审"))]
    if rule.review_range is not None:
        low, high = rule.review_range
        if low > 0:
            parts.append(
                ctx.t(gettext_noop("在 %(low)s 至 %(high)s 之间确定"))
                % {"low": money_text(low), "high": money_text(high)}
            )
        else:
            parts.append(ctx.t(gettext_noop("最高 %(high)s")) % {"high": money_text(high)})
    if rule.review_max is not None:
        parts.append(ctx.t(gettext_noop("最高为%(x)s")) % {"x": _noun(expr.parse(rule.review_max), ctx, "yuan", True)})
    if rule.review_min is not None:
        parts.append(ctx.t(gettext_noop("最低为%(x)s")) % {"x": _noun(expr.parse(rule.review_min), ctx, "yuan", True)})
    return ", ".join(parts)


def caps(value: Caps, translate: Translate = _same) -> list[str]:
    """The caps as '单项最高 100 万元', '每年累计最高 500 万元', '累计最高 100 万元'."""
    out = []
    for name in CAP_ORDER:
        limit = getattr(value, name)
        if limit is not None:
            out.append(translate(CAP_WORDS[name]) % {"amount": money_text(limit)})
    return out


def parameter_value(parameter: Parameter, translate: Translate = _same) -> str:
    """A named parameter's value in force with its unit from the catalog: '36 个月', '20%', '100 万元'."""
    return quantity(parameter.numbers()[-1], parameter.unit, translate)


@dataclass(frozen=True)
class RuleText:
    label: str  # the rule's own name in the catalog (Chinese)
    event: str  # what happens: the event type's Chinese label
    conditions: list[str]
    amount: str
    caps: list[str]

    @property
    def sentence(self) -> str:
        """'技术合同认定登记: 按技术交易额的 20% 计算, 每年累计最高 100 万元'."""
        return ", ".join([self.amount, *self.caps])


def rule(rule: Rule, vocabulary: Mapping[str, EventType], translate: Translate = _same) -> RuleText:
    event = vocabulary.get(rule.event)
    return RuleText(
        label=rule.label,
        event=event.label if event is not None else translate(gettext_noop("申报事项")),
        conditions=[rule_condition(rule, c.expr, vocabulary, translate) for c in rule.conditions],
        amount=amount(rule, vocabulary, translate),
        caps=caps(rule.caps, translate),
    )


@dataclass(frozen=True)
class MeasureText:
    summary: str  # one line for the library, the comparison and the calculator
    kind: str  # 资金支持, 服务 …
    rules: list[RuleText] = field(default_factory=list)
    caps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # combine, instalments, 就高不重复, stacking, reform

    @property
    def reviewed(self) -> bool:
        return any(r.amount.startswith("需评审") for r in self.rules)


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def measure(
    document: Document, measure: Measure, vocabulary: Mapping[str, EventType], translate: Translate = _same
) -> MeasureText:
    """Every sentence of one measure, and its one-line summary."""
    t = translate
    kind = t(MEASURE_KIND_LABELS[measure.kind])
    if measure.kind is not MeasureKind.CASH:
        summary = t(_KIND_SENTENCES[measure.kind])
        return MeasureText(summary=summary, kind=kind, notes=_notes(document, measure, t))
    rules = [rule(r, vocabulary, t) for r in measure.rules]
    measure_caps = caps(measure.caps, t)
    lines = _dedupe(r.sentence for r in rules)
    summary = "; ".join(lines)
    if measure_caps:
        summary = t(gettext_noop("%(rules)s; 整条措施%(caps)s")) % {"rules": summary, "caps": ", ".join(measure_caps)}
    return MeasureText(summary=summary, kind=kind, rules=rules, caps=measure_caps, notes=_notes(document, measure, t))


def _notes(document: Document, measure: Measure, t: Translate) -> list[str]:
    notes: list[str] = []
    if len(measure.rules) > 1:
        notes.append(
            t(gettext_noop("同一事项符合多项标准时按较高标准支持, 不累加"))
            if measure.combine == "max"
            else t(gettext_noop("符合多项标准的, 各项支持累加"))
        )
    if measure.schedule:
        shares = t(LIST_SEP).join(
            t(gettext_noop("第%(year)s年拨付%(share)s")) % {"year": i.year_offset + 1, "share": _share_words(i.share)}
            for i in measure.schedule
        )
        notes.append(t(gettext_noop("分期拨付: %(shares)s")) % {"shares": shares})
    if measure.overlap_group:
        others = [
            _clause_words(m.clause)
            for m in document.measures
            if m.overlap_group == measure.overlap_group and m.id != measure.id
        ]
        if others:
            notes.append(
                t(gettext_noop("与本文件%(others)s属同一事项, 就高不重复享受")) % {"others": t(LIST_SEP).join(others)}
            )
        else:
            notes.append(t(gettext_noop("同一事项的其他支持就高不重复享受")))
    if measure.stacks_on_provincial:
        notes.append(t(gettext_noop("在省级支持基础上叠加给予, 不扣减省级支持")))
    if measure.expert_review:
        notes.append(t(gettext_noop("支持金额经专家评审确定")))
    if measure.annual_assessment:
        notes.append(t(gettext_noop("实行年度考核")))
    if measure.disabled:
        notes.append(t(gettext_noop("本条已停止执行, 不再支持")))
    return notes


def _share_words(share: str) -> str:
    if "/" in share:
        numerator, denominator = share.split("/", 1)
        return gettext_noop("%(d)s分之%(n)s") % {"d": denominator.strip(), "n": numerator.strip()}
    return f"{(Decimal(share) * 100).normalize():f}%"


def _clause_words(clause: str) -> str:
    """'8' → '第8条'; '第八条', '（四）', '科技金融·三' stay as printed."""
    return clause_words(clause)


_IDENTIFIER = re.compile(
    r"(?<![A-Za-z0-9_])[a-z][a-z0-9]*(?:_[a-z0-9]+)*(?:\.[a-z][a-z0-9]*(?:_[a-z0-9]+)*)*(?![A-Za-z0-9_])"
)
_PARENTHESISED = re.compile(r"[(（]([a-z][a-z0-9]*(?:_[a-z0-9]+)*(?:\.[a-z][a-z0-9_]*)?)[)）]")
_MIN_MAX = re.compile(r"(?<![A-Za-z0-9_])(min|max)\(([^()]*)\)")

#: words of the catalog's own format that authors quote in their prose
FORMAT_WORDS: dict[str, str] = {
    "per_award": gettext_noop("单项上限"),
    "per_entity_per_year": gettext_noop("每年累计上限"),
    "cumulative_per_entity": gettext_noop("累计总额上限"),
    "stacks_on_provincial": gettext_noop("在省级支持基础上叠加"),
    "overlap_group": gettext_noop("就高不重复事项组"),
    "certifications": gettext_noop("资质"),
    "review_range": gettext_noop("评审区间"),
    "prior_grants": gettext_noop("已获支持"),
}


def interpretation(interp: Interpretation, vocabulary: Mapping[str, EventType], translate: Translate = _same) -> str:
    """'对“…”, 本平台理解为: …。另一种理解: …。' with quoted identifiers in their Chinese words."""
    return translate(gettext_noop("对%(topic)s, 本平台理解为: %(reading)s。另一种理解: %(alternative)s。")) % {
        "topic": prose(interp.topic, vocabulary),
        "reading": prose(interp.reading, vocabulary).rstrip("。"),
        "alternative": prose(interp.alternative, vocabulary).rstrip("。"),
    }


def prose(text: str, vocabulary: Mapping[str, EventType]) -> str:
    """Catalog prose (clause readings, hints, interpretations) with each identifier an author quoted —
    ``voucher_spent.amount``, ``platform_approved``, ``tech_transfer_platform``, ``per_award``,
    ``min(a, b)`` — written in the vocabulary's Chinese words; every other word is kept."""
    text = _MIN_MAX.sub(
        lambda m: (
            (gettext_noop("%s中较低者") if m.group(1) == "min" else gettext_noop("%s中较高者"))
            % gettext_noop("与").join(p.strip() for p in m.group(2).split(","))
        ),
        text,
    )
    ctx = _Context(None, vocabulary, {}, None, _same)

    def redundant(match: re.Match[str]) -> str:
        """'国内外知名高校毕业(renowned_university)': the label already says it; drop the parenthesis."""
        label = _prose_word(match.group(1)).strip("“”")
        return "" if label and match.string[: match.start()].endswith(label) else match.group(0)

    def words(match: re.Match[str]) -> str:
        label = _prose_word(match.group(0))
        before = text[: match.start()].rstrip()
        return "" if label.strip("“”") and before.endswith(label.strip("“”")) else label

    def _prose_word(token: str) -> str:
        event_name, _dot, field_name = token.partition(".")
        if event_name in vocabulary:
            event = vocabulary[event_name]
            if field_name and field_name in event.fields:
                return f"“{event.fields[field_name].label}”"
            return f"“{event.label}”"
        if token in FORMAT_WORDS:
            return FORMAT_WORDS[token]
        if token in CATEGORY_LABELS:
            return f"“{CATEGORY_LABELS[token]}”"
        if token in APPLICANT_LABELS:
            return f"“{APPLICANT_LABELS[token]}”"
        if token in EXTRA_CERT_LABELS:
            return f"“{EXTRA_CERT_LABELS[token]}”"
        if "_" not in token and "." not in token and not any(token in e.fields for e in vocabulary.values()):
            return token
        for candidate in (field_name or token, token):
            for event in vocabulary.values():
                if candidate in event.fields:
                    return f"“{event.fields[candidate].label}”"
            label = ctx.option_label("", candidate)
            if label != OTHER:
                return f"“{label}”"
        return gettext_noop("“相关事项”") if "_" in token or "." in token else token

    text = _PARENTHESISED.sub(redundant, text)
    return _IDENTIFIER.sub(words, text)
