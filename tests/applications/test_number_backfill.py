"""Migration 0006 numbers the applications submitted before 申报编号 existed: per valley and year of
submission, in order of submission; drafts get none; the counters continue from there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("applications", "0005_expert_rubric_recusal_objector")]
AFTER = [("applications", "0006_application_number_receipt_progress")]
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_backfill_numbers_in_order_of_submission(transactional_db: None) -> None:
    try:
        old = _migrate(BEFORE)
        organisation_model = old.get_model("accounts", "Organisation")
        user_model = old.get_model("accounts", "User")
        application_model = old.get_model("applications", "Application")
        jincheng = organisation_model.objects.create(name="甲", kind="enterprise", valley="晋城")
        datong = organisation_model.objects.create(name="乙", kind="enterprise", valley="大同")
        user = user_model.objects.create(username="backfill", organisation=jincheng)

        def application(organisation: Any, key: str, state: str, submitted: dt.datetime | None) -> int:
            row = application_model.objects.create(
                organisation=organisation,
                measure_id="jc-8",
                valley=organisation.valley,
                idempotency_key=key,
                state=state,
                created_by=user,
                submitted_at=submitted,
            )
            return int(row.pk)

        later = application(jincheng, "a", "initial_review", dt.datetime(2025, 3, 1, 10, tzinfo=SHANGHAI))
        earlier = application(jincheng, "b", "submitted", dt.datetime(2025, 2, 1, 10, tzinfo=SHANGHAI))
        new_year = application(jincheng, "c", "submitted", dt.datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI))
        other_valley = application(datong, "d", "closed", dt.datetime(2025, 5, 1, 10, tzinfo=SHANGHAI))
        draft = application(jincheng, "e", "draft", None)

        new = _migrate(AFTER)
        numbers = dict(new.get_model("applications", "Application").objects.values_list("pk", "number"))
        assert numbers[earlier] == "JC-2025-000001"
        assert numbers[later] == "JC-2025-000002"
        assert numbers[new_year] == "JC-2026-000001"  # 00:30 on 1 January in Shanghai is 2026
        assert numbers[other_valley] == "DT-2025-000001"
        assert numbers[draft] == ""
        counters = new.get_model("applications", "ApplicationNumberCounter").objects.values_list(
            "valley", "year", "last"
        )
        assert sorted(counters) == [("大同", 2025, 1), ("晋城", 2025, 2), ("晋城", 2026, 1)]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
