"""manage.py catalog_publish — record the policy catalog's measures and, when something was added or
changed, enqueue the notification of policy subscribers (the same catalog twice does nothing)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jinchuang.records.subscriptions import catalog_publish


class Command(BaseCommand):
    help = "登记政策目录的措施; 有新增或变更时通知订阅的机构 (同一版本再次运行不做任何事)"

    def handle(self, *args: Any, **options: Any) -> None:
        publication, created = catalog_publish()
        version = publication.digest[:12]
        if not created:
            self.stdout.write(f"政策目录版本 {version} 已发布过, 无变化")
        elif publication.changed:
            self.stdout.write(
                f"政策目录版本 {version}: {len(publication.changed)} 项措施新增或变更, 已排队通知订阅机构"
            )
        else:
            self.stdout.write(f"政策目录版本 {version}: 措施无变化")
