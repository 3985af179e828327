"""The `jinchuang` command line.

jinchuang calc CASE.json [--valley NAME | --all-valleys] [--format table|json]
jinchuang catalog coverage [--format table|json] [--check]
jinchuang catalog validate
jinchuang worker [--once] [--sleep 1.0]   (the background worker: manage.py worker)
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

from jinchuang.policy import money, textable
from jinchuang.policy.case import CaseError, FieldProblem, parse_case
from jinchuang.policy.case_schema import case_json_schema
from jinchuang.policy.catalog import CatalogError, default_catalog
from jinchuang.policy.coverage import coverage, coverage_json
from jinchuang.policy.evaluate import evaluate
from jinchuang.policy.results import STATUS_LABELS, Result, Status
from jinchuang.policy.simulate import parse_years
from jinchuang.policy.vocabulary import Valley, parse_valley

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
    except (ValueError, yaml.YAMLError) as exc:  # JSONDecodeError, undecodable bytes, a 5,000-digit integer
        print(_errors_json([FieldProblem("$", f"无法解析案例文件: {exc}")]), file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        case = parse_case(data, catalog)
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
            low, high = (money.format_yuan(v, unit=False) for v in m.review_range)
            note.append(f"法定区间 {low}–{high}")
        if cap:
            limit, cut = money.format_yuan(cap.limit, unit=False), money.format_yuan(cap.cut, unit=False)
            note.append(f"{cap.as_dict()['label']}{limit} 核减{cut}")
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
                money.format_yuan(m.amount, unit=False) if m.kind == "cash" else "-",
                " | ".join(note),
            ]
        )
    out = [f"计算基准日 {result.as_of}"]
    out.append(textable.render(["谷", "条款", "措施", "结论", "金额(元)", "说明"], rows, right=(4,)))
    for valley in result.valleys:
        out.append(
            f"{valley}: 符合条件合计 {money.format_yuan(result.total(valley), unit=False)} 元; "
            f"需评审项目上限合计 {money.format_yuan(result.review_ceiling(valley), unit=False)} 元"
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


class ProgressBar:
    """A text progress bar on standard error."""

    def __init__(self, width: int = 30) -> None:
        self.width = width

    def __call__(self, fraction: float, message: str) -> None:
        done = int(self.width * fraction)
        sys.stderr.write(f"\r[{'#' * done}{'.' * (self.width - done)}] {fraction:4.0%} {message:<12}")
        if fraction >= 1:
            sys.stderr.write("\n")
        sys.stderr.flush()


def cmd_population_generate(args: argparse.Namespace) -> int:
    from jinchuang.policy import population, synthetic

    years = parse_years(args.years)
    pop = synthetic.generate_population(args.size, seed=args.seed, first_year=years[0], last_year=years[-1])
    population.save(pop, Path(args.out), fmt=args.format)
    print(f"已生成 {pop.size} 个机构、{pop.event_count} 条事件 → {args.out}")
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from jinchuang.policy import population
    from jinchuang.policy.reform import ReformError, load_reform
    from jinchuang.policy.simulate import simulate

    catalog = default_catalog()
    try:
        years = parse_years(args.years)
        pop = population.load(Path(args.population), catalog.vocabulary)
        reform = load_reform(Path(args.reform).read_text(encoding="utf-8")) if args.reform else None
        result = simulate(pop, catalog, reform, years, progress=ProgressBar())
    except ReformError as exc:
        print(_errors_json(exc.problems), file=sys.stderr)
        return EXIT_BAD_INPUT
    except (ValueError, FileNotFoundError) as exc:
        print(f"错误: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(render_simulation(result))
    out = Path(args.out)
    write_simulation(result, out)
    print(f"\n已写出 {out / 'simulation.csv'} 和 {out / 'simulation.xlsx'}")
    return 0


def _yuan_fen(fen: int) -> str:
    return money.format_fen(fen, unit=False)


def render_simulation(result: Any) -> str:
    out = [f"改革方案: {result.reform_name}; 机构 {result.organisations} 个; 年份 {result.years[0]}–{result.years[-1]}"]
    totals = result.totals()
    out.append(
        f"合计: 基线 {_yuan_fen(totals['baseline_fen'])} 元, 改革后 {_yuan_fen(totals['reform_fen'])} 元, "
        f"差额 {_yuan_fen(totals['diff_fen'])} 元"
    )
    for title, keys in (
        ("按年度", ("year",)),
        ("按谷", ("valley",)),
        ("按牵头部门", ("valley", "department")),
        ("按措施(有差额或有支出)", ("valley", "measure_id", "title")),
    ):
        frame = result.by(*keys)
        if title.startswith("按措施"):
            frame = frame.filter((frame["baseline_fen"] != 0) | (frame["reform_fen"] != 0))
        rows = [
            [str(r[k]) for k in keys]
            + [_yuan_fen(r["baseline_fen"]), _yuan_fen(r["reform_fen"]), _yuan_fen(r["diff_fen"])]
            for r in frame.iter_rows(named=True)
        ]
        out.append(f"\n{title}")
        n = len(keys)
        out.append(textable.render([*keys, "基线(元)", "改革后(元)", "差额(元)"], rows, right=(n, n + 1, n + 2)))
    return "\n".join(out)


def write_simulation(result: Any, out: Path) -> None:
    from openpyxl import Workbook

    out.mkdir(parents=True, exist_ok=True)
    result.lines.write_csv(out / "simulation.csv")
    book = Workbook()
    first = True
    for title, keys in (
        ("按措施", ("valley", "measure_id", "title", "clause", "department", "year")),
        ("按谷", ("valley", "year")),
        ("按部门", ("valley", "department", "year")),
        ("按年度", ("year",)),
    ):
        sheet = book.active if first else book.create_sheet()
        first = False
        assert sheet is not None
        sheet.title = title
        sheet.append([*keys, "基线(元)", "改革后(元)", "差额(元)"])
        for r in result.by(*keys).iter_rows(named=True):
            sheet.append(
                [r[k] for k in keys] + [money.fen_to_yuan(r[c]) for c in ("baseline_fen", "reform_fen", "diff_fen")]
            )
        for row in sheet.iter_rows(min_row=2, min_col=len(keys) + 1):
            for cell in row:
                cell.number_format = "#,##0.00"
    book.save(out / "simulation.xlsx")


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
    where.add_argument("--valley", help="/".join(Valley))
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
    pop = sub.add_parser("population", help="机构群体数据")
    popsub = pop.add_subparsers(dest="population_command", required=True)
    gen = popsub.add_parser("generate", help="生成合成机构群体 (Parquet/CSV)")
    gen.add_argument("--size", type=int, default=10000)
    gen.add_argument("--seed", type=int, default=0)
    gen.add_argument("--years", default="2025-2027")
    gen.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    gen.add_argument("--out", required=True)
    gen.set_defaults(func=cmd_population_generate)
    sim = sub.add_parser("simulate", help="预算模拟: 基线与改革方案对比")
    sim.add_argument("population", help="机构群体目录 (organisations/events/prior_grants 的 Parquet 或 CSV)")
    sim.add_argument("--reform", help="改革方案 YAML")
    sim.add_argument("--years", default="2025-2027")
    sim.add_argument("--out", default="var/simulations/latest")
    sim.set_defaults(func=cmd_simulate)
    sub.add_parser("worker", help="后台任务执行进程 (同 manage.py worker)", add_help=False)
    sub.add_parser("manage", help="Django 管理命令", add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "manage":
        return cmd_manage(argv[1:])
    if argv and argv[0] == "worker":
        return cmd_manage(argv)
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
