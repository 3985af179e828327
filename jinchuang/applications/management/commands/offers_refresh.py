"""After the policy catalog changed: re-evaluate every organisation with verified facts (免申即享) in
background batch jobs keyed by the catalog's digest, so a second run for the same catalog does nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jinchuang.applications.jobs import reevaluation_enqueue_all
from jinchuang.policy.catalog import default_catalog


class Command(BaseCommand):
    help = "Re-evaluate 免申即享 offers for every organisation after a catalog change (background jobs)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=500, help="organisations per job")

    def handle(self, *args: Any, **options: Any) -> None:
        digest = default_catalog().digest
        jobs = reevaluation_enqueue_all(digest, batch=options["batch"])
        self.stdout.write(f"政策目录 {digest[:12]}: 已排入 {jobs} 个重新评估任务")
