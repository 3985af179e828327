"""Write the demo population demo-20000 (20,000 synthetic organisations, 2025–2027) unless it exists."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jinchuang.simulations.conf import populations_dir
from jinchuang.simulations.populations import DEMO_POPULATION, population_generate


class Command(BaseCommand):
    help = "生成示例人群 demo-20000 (已存在则跳过)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", default=DEMO_POPULATION)
        parser.add_argument("--size", type=int, default=20_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--first-year", type=int, default=2025)
        parser.add_argument("--last-year", type=int, default=2027)

    def handle(self, *args: Any, **options: Any) -> None:
        written = population_generate(
            name=options["name"],
            size=options["size"],
            seed=options["seed"],
            first_year=options["first_year"],
            last_year=options["last_year"],
        )
        where = populations_dir() / options["name"]
        if written:
            self.stdout.write(f"已生成人群 {options['name']} ({options['size']} 个机构): {where}")
        else:
            self.stdout.write(f"人群 {options['name']} 已存在, 跳过: {where}")
