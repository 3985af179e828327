"""A worker process: execute queued simulation runs and pick up running ones whose heartbeat stopped."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jinchuang.simulations.selectors import run_pending_ids
from jinchuang.simulations.services import simulation_execute


class Command(BaseCommand):
    help = "执行排队中的预算模拟, 并接手心跳超时的模拟"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="不停轮询 (默认执行一轮后退出)")
        parser.add_argument("--interval", type=float, default=2.0, help="轮询间隔秒数")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            done = 0
            for run_id in run_pending_ids():
                if simulation_execute(run_id):
                    done += 1
                    self.stdout.write(f"模拟 #{run_id} 已执行")
            if not options["loop"]:
                self.stdout.write(f"共执行 {done} 个模拟")
                return
            time.sleep(options["interval"])
