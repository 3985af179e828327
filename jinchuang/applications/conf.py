"""Settings of the applications app, with defaults. Override any of them in Django settings.

- ``JINCHUANG_STEP_WORKING_HOURS``: working hours allowed per workflow state (merged over the defaults).
- ``JINCHUANG_PUBLIC_NOTICE_DAYS``: length of the 公示 period in calendar days (default 7).
- ``JINCHUANG_MATERIAL_MAX_BYTES``: largest accepted upload (default 10 MB).
"""

from __future__ import annotations

from django.conf import settings

from jinchuang.applications.workflow import State

#: 半日结: half a working day (working hours 9:00–17:00, so four hours).
HALF_WORKING_DAY_HOURS = 4

DEFAULT_STEP_WORKING_HOURS: dict[State, int] = {
    State.SUBMITTED: HALF_WORKING_DAY_HOURS,  # 受理: 半日结
    State.RESUBMITTED: HALF_WORKING_DAY_HOURS,
    State.INITIAL_REVIEW: 2 * 8,
    State.DEPARTMENT_REVIEW: 5 * 8,
    State.EXPERT_REVIEW: 10 * 8,
    State.APPROVAL: 3 * 8,
    State.PAYMENT_SCHEDULED: 10 * 8,
}


def step_working_hours() -> dict[State, int]:
    configured = getattr(settings, "JINCHUANG_STEP_WORKING_HOURS", {}) or {}
    merged = dict(DEFAULT_STEP_WORKING_HOURS)
    merged.update({State(k): int(v) for k, v in configured.items()})
    return merged


def public_notice_days() -> int:
    return int(getattr(settings, "JINCHUANG_PUBLIC_NOTICE_DAYS", 7))


def material_max_bytes() -> int:
    return int(getattr(settings, "JINCHUANG_MATERIAL_MAX_BYTES", 10 * 1024 * 1024))
