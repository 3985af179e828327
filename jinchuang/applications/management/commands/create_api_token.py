"""``manage.py create_api_token USERNAME [--name NAME]``: print a new API token once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jinchuang.accounts.models import User
from jinchuang.applications.tokens import api_token_create


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it once (only its SHA-256 digest is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"no such user: {options['username']}") from None
        if not user.is_active:
            raise CommandError(f"user {user.username} is not active")
        _token, raw = api_token_create(user=user, name=options["name"])
        self.stdout.write(raw)
