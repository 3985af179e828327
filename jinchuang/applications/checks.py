"""System check: the applications app's settings make sense."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from jinchuang.applications.conf import material_max_bytes, public_notice_days, step_working_hours


@register()
def applications_settings_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    try:
        hours = step_working_hours()
    except ValueError as exc:
        return [Error(f"JINCHUANG_STEP_WORKING_HOURS names an unknown state: {exc}", id="applications.E001")]
    if any(h <= 0 for h in hours.values()):
        problems.append(Error("JINCHUANG_STEP_WORKING_HOURS values must be positive", id="applications.E002"))
    if public_notice_days() < 1:
        problems.append(Error("JINCHUANG_PUBLIC_NOTICE_DAYS must be at least 1", id="applications.E003"))
    if material_max_bytes() < 1:
        problems.append(Error("JINCHUANG_MATERIAL_MAX_BYTES must be positive", id="applications.E004"))
    return problems
