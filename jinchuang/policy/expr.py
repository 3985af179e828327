"""A small, restricted expression language for catalog formulas and conditions.

Catalog authors write formulas such as ``min(amount * 0.20, 500000)`` or
``degree in ('phd', 'master') and contract_years >= 3``.  The text is parsed
with :mod:`ast` and only a whitelist of node types is accepted; the result is
an immutable tree of our own node classes, never Python code.  Numeric
literals are read from their source text as :class:`~decimal.Decimal`, so
``0.20`` is exactly two tenths.  The tree is evaluated exactly here and
compiled to Polars expressions by the vectorised evaluator, so both evaluators
share one parse.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

Value = Decimal | str | bool | None


class ExpressionError(ValueError):
    """The expression text is not in the restricted language."""


class MissingField(LookupError):
    """The expression needs a field the case does not provide."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@dataclass(frozen=True)
class Const:
    value: Value


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class BinOp:
    op: str  # + - * /
    left: Node
    right: Node


@dataclass(frozen=True)
class Compare:
    op: str  # == != < <= > >=
    left: Node
    right: Node


@dataclass(frozen=True)
class InSet:
    value: Node
    options: tuple[Value, ...]
    negate: bool


@dataclass(frozen=True)
class BoolOp:
    op: str  # and / or
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Call:
    func: str  # min / max
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Lookup:
    table: str  # always "table": the rule's lookup table
    key: Node


@dataclass(frozen=True)
class IfElse:
    test: Node
    body: Node
    orelse: Node


Node = Const | Var | BinOp | Compare | InSet | BoolOp | Not | Neg | Call | Lookup | IfElse

_BIN = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_CMP = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
FUNCTIONS = frozenset({"min", "max"})
RESERVED = frozenset({"table", "True", "False", "None"})


class _Converter:
    def __init__(self, source: str) -> None:
        self.source = source

    def convert(self, node: ast.AST) -> Node:
        if isinstance(node, ast.Constant):
            return self._constant(node)
        if isinstance(node, ast.Name):
            if node.id in RESERVED:
                raise ExpressionError(f"'{node.id}' 不能单独使用")
            return Var(node.id)
        if isinstance(node, ast.BinOp) and type(node.op) in _BIN:
            return BinOp(_BIN[type(node.op)], self.convert(node.left), self.convert(node.right))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return Not(self.convert(node.operand))
            if isinstance(node.op, ast.USub):
                return Neg(self.convert(node.operand))
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            return BoolOp(op, tuple(self.convert(v) for v in node.values))
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Subscript):
            if not (isinstance(node.value, ast.Name) and node.value.id == "table"):
                raise ExpressionError("只允许 table[字段] 形式的查表")
            return Lookup("table", self.convert(node.slice))
        if isinstance(node, ast.IfExp):
            return IfElse(self.convert(node.test), self.convert(node.body), self.convert(node.orelse))
        raise ExpressionError(f"不允许的语法: {type(node).__name__}")

    def _constant(self, node: ast.Constant) -> Const:
        value = node.value
        if isinstance(value, bool) or value is None or isinstance(value, str):
            return Const(value)
        if isinstance(value, (int, float)):
            text = ast.get_source_segment(self.source, node)
            if text is None:  # pragma: no cover - get_source_segment always has the source here
                raise ExpressionError("无法读取数字")
            return Const(Decimal(text.replace("_", "")))
        raise ExpressionError(f"不允许的常量: {value!r}")

    def _compare(self, node: ast.Compare) -> Node:
        if len(node.ops) != 1:
            raise ExpressionError("比较只能有一个运算符")
        op, right = node.ops[0], node.comparators[0]
        left = self.convert(node.left)
        if isinstance(op, (ast.In, ast.NotIn)):
            if not isinstance(right, (ast.Tuple, ast.List, ast.Set)):
                raise ExpressionError("in 之后必须是常量列表")
            options = tuple(self._constant(e).value for e in right.elts if isinstance(e, ast.Constant))
            if len(options) != len(right.elts):
                raise ExpressionError("in 之后必须是常量列表")
            return InSet(left, options, isinstance(op, ast.NotIn))
        if type(op) not in _CMP:
            raise ExpressionError(f"不允许的比较: {type(op).__name__}")
        return Compare(_CMP[type(op)], left, self.convert(right))

    def _call(self, node: ast.Call) -> Call:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise ExpressionError("只允许调用 min 和 max")
        if node.keywords or len(node.args) < 2:
            raise ExpressionError("min/max 需要至少两个位置参数")
        return Call(node.func.id, tuple(self.convert(a) for a in node.args))


@lru_cache(maxsize=4096)
def parse(source: str) -> Node:
    """Parse ``source`` into a restricted expression tree, or raise ExpressionError."""
    if len(source) > 500:
        raise ExpressionError("表达式过长")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"语法错误: {exc.msg}") from exc
    return _Converter(source.strip()).convert(tree.body)


def walk(node: Node) -> Iterator[Node]:
    """The node and every node below it."""
    yield node
    for child in _children(node):
        yield from walk(child)


def names(node: Node) -> set[str]:
    """Every variable the expression reads."""
    return {n.name for n in walk(node) if isinstance(n, Var)}


def substitute(node: Node, values: Mapping[str, Value]) -> Node:
    """The tree with every variable named in ``values`` replaced by that constant (parameters)."""
    if not values:
        return node
    if isinstance(node, Var):
        return Const(values[node.name]) if node.name in values else node
    if isinstance(node, (BinOp, Compare)):
        return replace(node, left=substitute(node.left, values), right=substitute(node.right, values))
    if isinstance(node, InSet):
        return replace(node, value=substitute(node.value, values))
    if isinstance(node, BoolOp):
        return replace(node, operands=tuple(substitute(o, values) for o in node.operands))
    if isinstance(node, (Not, Neg)):
        return replace(node, operand=substitute(node.operand, values))
    if isinstance(node, Call):
        return replace(node, args=tuple(substitute(a, values) for a in node.args))
    if isinstance(node, Lookup):
        return replace(node, key=substitute(node.key, values))
    if isinstance(node, IfElse):
        return IfElse(substitute(node.test, values), substitute(node.body, values), substitute(node.orelse, values))
    return node


def _children(n: Node) -> tuple[Node, ...]:
    if isinstance(n, (BinOp, Compare)):
        return (n.left, n.right)
    if isinstance(n, InSet):
        return (n.value,)
    if isinstance(n, BoolOp):
        return n.operands
    if isinstance(n, (Not, Neg)):
        return (n.operand,)
    if isinstance(n, Call):
        return n.args
    if isinstance(n, Lookup):
        return (n.key,)
    if isinstance(n, IfElse):
        return (n.test, n.body, n.orelse)
    return ()


def _num(value: Value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal):
        raise ExpressionError(f"需要数字, 得到 {value!r}")
    return value


_ARITH: dict[str, Callable[[Decimal, Decimal], Decimal]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


_ORDER: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _compare_values(op: str, a: Value, b: Value) -> bool:
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    x, y = _num(a), _num(b)
    return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]


def evaluate(node: Node, env: Mapping[str, Value], table: Mapping[str, Decimal] | None = None) -> Value:
    """Evaluate exactly.  Raises MissingField when a variable is absent or None."""
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Var):
        value = env.get(node.name)
        if value is None:
            raise MissingField(node.name)
        return value
    if isinstance(node, BinOp):
        return _ARITH[node.op](_num(evaluate(node.left, env, table)), _num(evaluate(node.right, env, table)))
    if isinstance(node, Compare):
        return _compare_values(node.op, evaluate(node.left, env, table), evaluate(node.right, env, table))
    if isinstance(node, InSet):
        inside = evaluate(node.value, env, table) in node.options
        return not inside if node.negate else inside
    if isinstance(node, BoolOp):
        if node.op == "and":
            return all(bool(evaluate(o, env, table)) for o in node.operands)
        return any(bool(evaluate(o, env, table)) for o in node.operands)
    if isinstance(node, Not):
        return not bool(evaluate(node.operand, env, table))
    if isinstance(node, Neg):
        return -_num(evaluate(node.operand, env, table))
    if isinstance(node, Call):
        values = [_num(evaluate(a, env, table)) for a in node.args]
        return min(values) if node.func == "min" else max(values)
    if isinstance(node, Lookup):
        key = evaluate(node.key, env, table)
        if table is None or not isinstance(key, str) or key not in table:
            raise MissingField(f"table[{key}]")
        return table[key]
    if isinstance(node, IfElse):
        branch = node.body if evaluate(node.test, env, table) else node.orelse
        return evaluate(branch, env, table)
    raise ExpressionError(f"未知节点 {node!r}")  # pragma: no cover


Evaluator = Callable[[Mapping[str, Value], Mapping[str, Decimal] | None], Value]


def _compile(node: Node) -> Evaluator:
    """The same semantics as :func:`evaluate`, as nested closures (no per-call dispatch on node type)."""
    if isinstance(node, Const):
        value = node.value
        return lambda env, table: value
    if isinstance(node, Var):
        name = node.name

        def var(env: Mapping[str, Value], table: Mapping[str, Decimal] | None) -> Value:
            got = env.get(name)
            if got is None:
                raise MissingField(name)
            return got

        return var
    if isinstance(node, BinOp):
        op, left, right = _ARITH[node.op], _compile(node.left), _compile(node.right)
        return lambda env, table: op(_num(left(env, table)), _num(right(env, table)))
    if isinstance(node, Compare):
        cl, cr = _compile(node.left), _compile(node.right)
        if node.op in ("==", "!="):
            equal = node.op == "=="
            return lambda env, table: (cl(env, table) == cr(env, table)) == equal
        order = _ORDER[node.op]
        return lambda env, table: order(_num(cl(env, table)), _num(cr(env, table)))
    if isinstance(node, InSet):
        inner, options, negate = _compile(node.value), node.options, node.negate
        return lambda env, table: (inner(env, table) in options) != negate
    if isinstance(node, BoolOp):
        parts = [_compile(o) for o in node.operands]
        if node.op == "and":
            return lambda env, table: all(bool(p(env, table)) for p in parts)
        return lambda env, table: any(bool(p(env, table)) for p in parts)
    if isinstance(node, Not):
        operand = _compile(node.operand)
        return lambda env, table: not bool(operand(env, table))
    if isinstance(node, Neg):
        negated = _compile(node.operand)
        return lambda env, table: -_num(negated(env, table))
    if isinstance(node, Call):
        args = [_compile(a) for a in node.args]
        pick = min if node.func == "min" else max
        return lambda env, table: pick(_num(a(env, table)) for a in args)
    if isinstance(node, Lookup):
        key_of = _compile(node.key)

        def lookup(env: Mapping[str, Value], table: Mapping[str, Decimal] | None) -> Value:
            key = key_of(env, table)
            if table is None or not isinstance(key, str) or key not in table:
                raise MissingField(f"table[{key}]")
            return table[key]

        return lookup
    if isinstance(node, IfElse):
        test, body, orelse = _compile(node.test), _compile(node.body), _compile(node.orelse)
        return lambda env, table: body(env, table) if test(env, table) else orelse(env, table)
    raise ExpressionError(f"未知节点 {node!r}")  # pragma: no cover


def compile_node(node: Node) -> Evaluator:
    """Compile a tree (e.g. one with its parameters substituted) to closures."""
    return _compile(node)


@lru_cache(maxsize=4096)
def compiled(source: str) -> Evaluator:
    """Parse and compile ``source`` once; the result evaluates exactly like ``evaluate(parse(source), ...)``."""
    return _compile(parse(source))
