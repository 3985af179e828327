"""``manage.py worker [--once] [--sleep 1.0]``: the background worker of the task interface.

Loops ``run_one``; sleeps ``--sleep`` seconds when nothing is claimable. ``--once`` runs every job that
is claimable now, then exits. SIGTERM or SIGINT lets the current job finish, then the worker exits; a
worker killed outright leaves its job running with a lease that another worker takes over when it passes.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from jinchuang.tasks.services import default_worker_name, run_one

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "执行后台任务 (轮询任务表; 收到 SIGTERM 后做完当前任务再退出)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="执行完当前可执行的任务后退出")
        parser.add_argument("--sleep", type=float, default=1.0, help="无任务时的轮询间隔秒数 (默认 1.0)")
        parser.add_argument("--name", default="", help="执行进程名 (默认 worker:<主机>:<进程号>)")

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = threading.Event()
        worker = options["name"] or default_worker_name()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        ran = 0
        try:
            while not stopping.is_set():
                if not connection.in_atomic_block:  # (called inside a transaction, e.g. from a test: keep it)
                    close_old_connections()
                try:
                    job = run_one(worker)
                except Exception:  # a database hiccup must not kill the worker: log, wait, try again
                    logger.exception("worker %s: claiming or recording a job failed", worker)
                    if options["once"]:
                        raise
                    stopping.wait(options["sleep"])
                    continue
                if job is not None:
                    ran += 1
                    if options["verbosity"] >= 2:
                        self.stdout.write(f"{job.name} {job.key}: {job.state}")
                    continue
                if options["once"]:
                    break
                stopping.wait(options["sleep"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if options["verbosity"] >= 1:
            self.stdout.write(f"共执行 {ran} 个后台任务")
