"""The `jinchuang` command line.

jinchuang calc CASE.json [--valley NAME | --all-valleys] [--format table|json]
jinchuang catalog coverage [--format table|json] [--check]
jinchuang catalog validate
jinchuang manage ARGS...          (Django's manage.py commands)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from jinchuang.policy import textable
from jinchuang.policy.case import CaseError, FieldProblem, parse_case, parse_valley
from jinchuang.policy.case_schema import case_json_schema
from jinchuang.policy.catalog import CatalogError, default_catalog
from jinchuang.policy.coverage import coverage, coverage_json
from jinchuang.policy.evaluate import evaluate, yuan
from jinchuang.policy.results import STATUS_LABELS, Result, Status
from jinchuang.policy.schema import Valley

EXIT_BAD_INPUT = 2


def _read_case_file(path: str) -> Any:
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    if path.endswith((".yaml", ".yml")):
        return yaml.safe_load(text)
    return json.loads(text)


def _errors_json(problems: list[FieldProblem]) -> str:
    return json.dumps(
        {"error": "invalid_case", "errors": [p.as_dict() for p in problems]}, ensure_ascii=False, indent=2
    )


def cmd_calc(args: argparse.Namespace) -> int:
    catalog = default_catalog()
    try:
        data = _read_case_file(args.case)
    except FileNotFoundError:
        print(f"错误: 找不到案例文件 {args.case}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        print(_errors_json([FieldProblem("$", f"无法解析案例文件: {exc}")]), file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        case = parse_case(data, catalog.vocabulary)
        valleys: list[Valley] | None = None
        if args.all_valleys:
            valleys = list(Valley)
        elif args.valley:
            try:
                valleys = [parse_valley(args.valley)]
            except ValueError as exc:
                raise CaseError([FieldProblem("--valley", str(exc))]) from exc
    except CaseError as exc:
        print(_errors_json(exc.problems), file=sys.stderr)
        return EXIT_BAD_INPUT
    result = evaluate(case, catalog, valleys)
    if args.format == "json":
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_result(result, show_all=args.show_all))
    return 0


def render_result(result: Result, show_all: bool = False) -> str:
    rows = []
    for m in result.measures:
        if not show_all and m.status in (Status.NOT_ELIGIBLE, Status.PRINCIPLE) and m.items == []:
            continue
        cap = m.binding_cap
        note = []
        if m.review_range:
            note.append(f"法定区间 {yuan(m.review_range[0])}–{yuan(m.review_range[1])}")
        if cap:
            note.append(f"{cap.as_dict()['label']}{yuan(cap.limit)} 核减{yuan(cap.cut)}")
        if m.overlap:
            note.append("就高不重复")
        if m.interpretations:
            note.append("解释:" + ",".join(i["id"] for i in m.interpretations))
        if m.status is Status.NOT_ELIGIBLE:
            note.append("未满足: " + "; ".join(f.text for f in m.failed[:2]))
        rows.append(
            [
                m.valley,
                m.citation,
                m.title[:18],
                STATUS_LABELS[m.status],
                yuan(m.amount) if m.kind == "cash" else "-",
                " | ".join(note),
            ]
        )
    out = [f"计算基准日 {result.as_of}"]
    out.append(textable.render(["谷", "条款", "措施", "结论", "金额(元)", "说明"], rows, right=(4,)))
    for valley in result.valleys:
        out.append(
            f"{valley}: 符合条件合计 {yuan(result.total(valley))} 元; "
            f"需评审项目上限合计 {yuan(result.review_ceiling(valley))} 元"
        )
    misses = result.nearest_misses()
    if misses:
        out.append("最接近符合的措施 (还缺什么):")
        for m in misses:
            out.append(
                f"  {m.valley} {m.citation} {m.title}: "
                + "; ".join(f.text + (f" → {f.hint}" if f.hint else "") for f in m.failed)
            )
    return "\n".join(out)


def cmd_coverage(args: argparse.Namespace) -> int:
    catalog = default_catalog()
    data = coverage_json(catalog)
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        rows = [
            [
                r.valley,
                r.wenhao or "(无文号)",
                str(r.clauses_in_text),
                str(r.clauses_encoded),
                str(r.verbatim),
                f"{r.cash_measures_tested}/{r.cash_measures}",
                str(r.clauses_with_tests),
                str(r.cases),
                str(r.interpretations),
                "是" if r.complete else "否",
            ]
            for r in coverage(catalog)
        ]
        print(
            textable.render(
                ["谷", "文号", "条文条款", "已编码", "原文一致", "资金类已测", "有测试条款", "测试数", "解释", "完整"],
                rows,
                right=(2, 3, 4, 5, 6, 7, 8),
            )
        )
        for r in coverage(catalog):
            if r.not_verbatim:
                print(f"{r.document}: 原文不一致 {', '.join(r.not_verbatim)}")
            if r.cash_untested:
                print(f"{r.document}: 未测试的资金类措施 {', '.join(r.cash_untested)}")
    return 0 if (data["complete"] or not args.check) else 1


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        catalog = default_catalog()
    except CatalogError as exc:
        print(f"目录无效: {exc}", file=sys.stderr)
        return 1
    for d in catalog.documents:
        print(f"{d.id}: {len(d.measures)} 条措施, 有效期 {d.valid_from} 至 {d.valid_to}")
    print(f"事件类型 {len(catalog.vocabulary)} 个")
    return 0


def cmd_case_schema(args: argparse.Namespace) -> int:
    print(json.dumps(case_json_schema(default_catalog().vocabulary), ensure_ascii=False, indent=2))
    return 0


def cmd_manage(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinchuang.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jinchuang manage", *argv])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jinchuang", description="晋创通: 晋创谷政策规则引擎与平台")
    sub = parser.add_subparsers(dest="command", required=True)
    calc = sub.add_parser("calc", help="计算一个案例可享受的政策")
    calc.add_argument("case", help="案例文件 (JSON 或 YAML; - 为标准输入)")
    where = calc.add_mutually_exclusive_group()
    where.add_argument("--valley", help="晋城/晋中/临汾/阳泉/大同")
    where.add_argument("--all-valleys", action="store_true", help="五个谷并列计算")
    calc.add_argument("--format", choices=["table", "json"], default="table")
    calc.add_argument("--show-all", action="store_true", help="表格中也列出不符合的措施")
    calc.set_defaults(func=cmd_calc)
    cat = sub.add_parser("catalog", help="政策目录")
    catsub = cat.add_subparsers(dest="catalog_command", required=True)
    cov = catsub.add_parser("coverage", help="条款编码与测试覆盖")
    cov.add_argument("--format", choices=["table", "json"], default="table")
    cov.add_argument("--check", action="store_true", help="不完整时以非零状态退出")
    cov.set_defaults(func=cmd_coverage)
    val = catsub.add_parser("validate", help="校验目录文件")
    val.set_defaults(func=cmd_validate)
    sch = catsub.add_parser("case-schema", help="打印案例格式的 JSON Schema")
    sch.set_defaults(func=cmd_case_schema)
    sub.add_parser("manage", help="Django 管理命令", add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "manage":
        return cmd_manage(argv[1:])
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
