"""``python manage.py load_demo``: demo organisations and one demo user per role (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jinchuang.accounts.demo import demo_data_load


class Command(BaseCommand):
    help = "Create or refresh the demo organisations and demo users (running it twice duplicates nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_data_load()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins (username / password / role):"))
        for login in logins:
            self.stdout.write(f"  {login.username:<16} {login.password:<22} {login.role.label} ({login.role.value})")
