"""accounts 0002: stored organisation valleys become the engine's codes (jincheng → 晋城), and back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0001_initial")]
AFTER = [("accounts", "0002_one_valley_vocabulary")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_pinyin_valleys_become_codes_and_the_reverse_restores_them() -> None:
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("accounts", "Organisation")
    pinyin = ["jincheng", "jinzhong", "linfen", "yangquan", "datong"]
    for n, valley in enumerate(pinyin):
        old.objects.create(name=f"机构{n}", kind="enterprise", valley=valley)

    executor = _migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("accounts", "Organisation")
    assert dict(new.objects.values_list("name", "valley")) == {
        "机构0": "晋城",
        "机构1": "晋中",
        "机构2": "临汾",
        "机构3": "阳泉",
        "机构4": "大同",
    }

    executor = _migrate(BEFORE)
    assert sorted(old.objects.values_list("valley", flat=True)) == sorted(pinyin)
    old.objects.all().delete()
    _migrate(executor.loader.graph.leaf_nodes())
