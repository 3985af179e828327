"""Static types of catalog expressions, checked at catalog load.

The exact evaluator (:mod:`jinchuang.policy.expr`) compares Python values, so ``Decimal(1) == True``
is true there, while the vectorised evaluator decides a comparison of two different kinds at
compile time (always false).  Rather than make two evaluators agree on expressions no author means,
the catalog refuses them: every expression is typed over three types — number, text, bool — from
the event vocabulary (money, int, ratio → number; str → text with its options; bool → bool), the
engine's own names and the rule's named parameters (numbers).

Refused: a comparison or ``in`` of different types; ``<``/``>`` on text or bool; arithmetic,
``min``/``max`` or a minus sign on text or bool; ``and``/``or``/``not``, a condition or an ``if``
test that is not a bool (the catalog's conditions are all comparisons or bool fields, so numbers
are not read as truth values); a text literal compared with a field that lists its options when
the literal is not one of them; ``if`` branches of different types; a ``table[...]`` key that is not
text; ``None``; an amount or review bound that is not a number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from jinchuang.policy import expr
from jinchuang.policy.schema import EventType
from jinchuang.policy.vocabulary import OrgKind

Kind = Literal["number", "text", "bool"]

KIND_LABELS: dict[str, str] = {"number": "数字 number", "text": "文本 text", "bool": "布尔值 bool"}
FIELD_KINDS: dict[str, Kind] = {"money": "number", "int": "number", "ratio": "number", "str": "text", "bool": "bool"}


@dataclass(frozen=True)
class Type:
    kind: Kind
    options: frozenset[str] | None = None  # the values a text field may take, where it lists them
    field: str | None = None  # the field the value comes from (for messages)


NUMBER, TEXT, BOOL = Type("number"), Type("text"), Type("bool")

#: the names the engine provides to every rule besides its event's fields (see evaluate.event_env)
ENGINE_NAMES: dict[str, Type] = {
    "applicant_kind": Type("text", frozenset(k.value for k in OrgKind), "applicant_kind"),
    "in_valley": BOOL,
    "months_in_valley": NUMBER,
    "event_year": NUMBER,
}
CERT_PREFIX = "cert_"


class ExpressionTypeError(ValueError):
    """An expression whose parts have types that do not fit together."""


def name_types(spec: EventType, parameters: Iterable[str] = ()) -> dict[str, Type]:
    """The type of every name a rule reading events of ``spec`` may use (``cert_*`` aside)."""
    types = dict(ENGINE_NAMES)
    for name, f in spec.fields.items():
        options = frozenset(f.options) if f.type == "str" and f.options else None
        types[name] = Type(FIELD_KINDS[f.type], options, name)
    for name in parameters:
        types[name] = NUMBER
    return types


def _constant_type(value: expr.Value) -> Type:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, Decimal):
        return NUMBER
    if isinstance(value, str):
        return TEXT
    raise ExpressionTypeError("不能使用 None / None is not allowed")


def _label(t: Type) -> str:
    return KIND_LABELS[t.kind] + (f" ({t.field})" if t.field else "")


class _Checker:
    def __init__(self, names: Mapping[str, Type], table: Mapping[str, Any] | None) -> None:
        self.names = names
        self.table = table

    def type_of(self, node: expr.Node) -> Type:
        if isinstance(node, expr.Const):
            return _constant_type(node.value)
        if isinstance(node, expr.Var):
            return self._var(node.name)
        if isinstance(node, expr.BinOp):
            self._expect(node.left, "number", f"算术运算 {node.op} / arithmetic {node.op}")
            self._expect(node.right, "number", f"算术运算 {node.op} / arithmetic {node.op}")
            return NUMBER
        if isinstance(node, expr.Neg):
            self._expect(node.operand, "number", "负号 / unary minus")
            return NUMBER
        if isinstance(node, expr.Call):
            for arg in node.args:
                self._expect(arg, "number", f"{node.func}()")
            return NUMBER
        if isinstance(node, expr.Compare):
            self._compare(node)
            return BOOL
        if isinstance(node, expr.InSet):
            self._in(node)
            return BOOL
        if isinstance(node, expr.BoolOp):
            for operand in node.operands:
                self._expect(operand, "bool", node.op)
            return BOOL
        if isinstance(node, expr.Not):
            self._expect(node.operand, "bool", "not")
            return BOOL
        if isinstance(node, expr.Lookup):
            return self._lookup(node)
        if isinstance(node, expr.IfElse):
            self._expect(node.test, "bool", "if 条件 / if test")
            body, orelse = self.type_of(node.body), self.type_of(node.orelse)
            if body.kind != orelse.kind:
                raise ExpressionTypeError(
                    f"if 两个分支类型不同: {_label(body)} 与 {_label(orelse)} / "
                    f"the branches of if have different types: {body.kind} and {orelse.kind}"
                )
            if body.kind == "text" and body.options is not None and orelse.options is not None:
                return Type("text", body.options | orelse.options)
            return Type(body.kind)
        raise ExpressionTypeError(f"未知节点 / unknown node {node!r}")  # pragma: no cover

    def _var(self, name: str) -> Type:
        if name in self.names:
            return self.names[name]
        if name.startswith(CERT_PREFIX):
            return BOOL
        raise ExpressionTypeError(f"未知名称 '{name}' / unknown name '{name}'")

    def _expect(self, node: expr.Node, kind: Kind, where: str) -> Type:
        got = self.type_of(node)
        if got.kind != kind:
            raise ExpressionTypeError(
                f"{where} 需要{KIND_LABELS[kind]}, 得到{_label(got)} / {where} needs a {kind}, got a {got.kind}"
            )
        return got

    def _compare(self, node: expr.Compare) -> None:
        left, right = self.type_of(node.left), self.type_of(node.right)
        if left.kind != right.kind:
            raise ExpressionTypeError(
                f"比较 {node.op} 两边类型不同: {_label(left)} 与 {_label(right)} / "
                f"comparison {node.op} of different types: {left.kind} with {right.kind}"
            )
        if node.op not in ("==", "!=") and left.kind != "number":
            raise ExpressionTypeError(
                f"{node.op} 只能比较数字, 得到{_label(left)} / {node.op} compares numbers only, got {left.kind}"
            )
        if left.kind == "text":
            self._literal_in_options(node.left, right)
            self._literal_in_options(node.right, left)

    def _in(self, node: expr.InSet) -> None:
        value = self.type_of(node.value)
        for option in node.options:
            t = _constant_type(option)
            if t.kind != value.kind:
                raise ExpressionTypeError(
                    f"in 的选项 {option!r} 是{KIND_LABELS[t.kind]}, 而被检查的值是{_label(value)} / "
                    f"option {option!r} of in is a {t.kind}, the value is a {value.kind}"
                )
            if isinstance(option, str):
                self._check_option(option, value)

    def _lookup(self, node: expr.Lookup) -> Type:
        key = self._expect(node.key, "text", "table[...]")
        if self.table is not None and key.options is not None:
            unknown = sorted(set(self.table) - key.options)
            if unknown:
                raise ExpressionTypeError(
                    f"table 的键 {unknown} 不是 {key.field} 的选项 {sorted(key.options)} / "
                    f"table keys {unknown} are not options of {key.field}"
                )
        return NUMBER

    def _literal_in_options(self, node: expr.Node, other: Type) -> None:
        if isinstance(node, expr.Const) and isinstance(node.value, str):
            self._check_option(node.value, other)

    @staticmethod
    def _check_option(literal: str, field: Type) -> None:
        if field.options is not None and literal not in field.options:
            raise ExpressionTypeError(
                f"'{literal}' 不是 {field.field} 的选项 {sorted(field.options)} / "
                f"'{literal}' is not an option of {field.field}"
            )


def check(source: str, names: Mapping[str, Type], want: Kind, table: Mapping[str, Any] | None = None) -> Type:
    """The type of ``source``; raises ExpressionTypeError unless it is well typed and of kind ``want``."""
    got = _Checker(names, table).type_of(expr.parse(source))
    if got.kind != want:
        role = "条件 / a condition" if want == "bool" else "金额公式 / an amount formula"
        raise ExpressionTypeError(
            f"{role} 须为{KIND_LABELS[want]}, 得到{_label(got)} / must be a {want}, got a {got.kind}"
        )
    return got


def rule_errors(doc_id: str, measure: Any, rule: Any, spec: EventType) -> list[str]:
    """Every type error of one rule's expressions, each naming document/measure/rule and the expression."""
    parameters = [*(getattr(measure, "parameters", None) or {}), *(getattr(rule, "parameters", None) or {})]
    names = name_types(spec, parameters)
    where = f"{doc_id}/{measure.id}/{rule.id}"
    sources: list[tuple[str, Kind]] = [(c.expr, "bool") for c in rule.conditions]
    sources += [(s, "number") for s in (rule.amount, rule.review_max, rule.review_min) if s]
    errors = []
    for source, want in sources:
        try:
            check(source, names, want, rule.table)
        except ExpressionTypeError as exc:
            errors.append(f"{where}: 类型错误 / type error: {exc} (表达式 / in: {source})")
    return errors
