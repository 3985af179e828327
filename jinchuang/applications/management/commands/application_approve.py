"""Approve one application from the command line (back office); prints the outcome as JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandParser

from jinchuang.accounts.models import User
from jinchuang.applications.errors import CapExceededError
from jinchuang.applications.models import Application
from jinchuang.applications.services import application_approve


class Command(BaseCommand):
    help = "Approve an application: --application ID --amount-fen N --actor USERNAME [--reason TEXT]."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--application", type=int, required=True)
        parser.add_argument("--amount-fen", type=int, required=True)
        parser.add_argument("--actor", required=True)
        parser.add_argument("--reason", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.get(username=options["actor"])
        application = Application.objects.get(pk=options["application"])
        outcome: dict[str, Any] = {"application": application.pk}
        try:
            application_approve(
                application=application, amount_fen=options["amount_fen"], reason=options["reason"], actor=actor
            )
            outcome["approved"] = True
        except CapExceededError as exc:
            outcome.update(approved=False, error="cap_exceeded", cap=str(exc.cap))
        except (ValidationError, PermissionDenied) as exc:
            outcome.update(approved=False, error=type(exc).__name__, detail=str(exc))
        self.stdout.write(json.dumps(outcome, ensure_ascii=False))
