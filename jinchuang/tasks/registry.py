"""The task registry: ``@task("name")`` registers ``fn(job, payload) -> dict | None``.

A business area registers its tasks in its own module (e.g. ``jinchuang/<area>/jobs.py``) imported from
its ``AppConfig.ready``, so every process (web, worker) knows every task before it enqueues or runs one.
A task must be idempotent for its key: a job whose worker died is run again from the start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from jinchuang.tasks.models import Job

TaskFunction = Callable[["Job", dict[str, Any]], dict[str, Any] | None]

_TASKS: dict[str, TaskFunction] = {}


def task(name: str) -> Callable[[TaskFunction], TaskFunction]:
    """Register the decorated function as the task ``name`` (one function per name)."""
    if not name or len(name) > 100:
        raise ImproperlyConfigured(f"任务名必须是 1 至 100 个字符: {name!r}")

    def register(fn: TaskFunction) -> TaskFunction:
        existing = _TASKS.get(name)
        if existing is not None and existing.__qualname__ != fn.__qualname__:
            raise ImproperlyConfigured(f"任务名 {name!r} 已被 {existing.__module__}.{existing.__qualname__} 注册")
        _TASKS[name] = fn
        return fn

    return register


def get_task(name: str) -> TaskFunction | None:
    return _TASKS.get(name)


def registered_names() -> list[str]:
    return sorted(_TASKS)
