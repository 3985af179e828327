"""What the record entitles an organisation to: qualified measures, what rests on unverified facts,
nearest misses named in Chinese."""

from __future__ import annotations

import re
from decimal import Decimal

from jinchuang.records.entitlements import entitlements_of
from jinchuang.records.services import fact_declare, fact_enter, fact_verify
from tests.applications.conftest import Cast
from tests.records.conftest import AS_OF, high_tech


def _qualified(cast: Cast) -> dict[str, object]:
    return {q.measure_id: q for q in entitlements_of(cast.organisation, as_of=AS_OF).qualified}


def test_verified_high_tech_qualifies_for_lf_cx_5(linfen: Cast) -> None:
    fact, _ = fact_enter(organisation=linfen.organisation, event_data=high_tech(), actor=linfen.agent, note="认定名单")
    result = entitlements_of(linfen.organisation, as_of=AS_OF)
    q = {x.measure_id: x for x in result.qualified}["lf-cx-5"]
    assert q.amount == Decimal("100000.00")
    assert q.citation.startswith("临政办发〔2024〕34号")
    assert q.status_label == "符合条件"
    assert [f.pk for f in q.facts] == [fact.pk]
    assert not q.depends_on_unverified
    assert result.total >= Decimal("100000.00") and result.unverified_total == Decimal("0.00")
    assert all(m.measure_id.startswith("lf-") for m in result.qualified)  # the own valley only


def test_declared_only_depends_on_unverified(linfen: Cast) -> None:
    fact, _ = fact_declare(organisation=linfen.organisation, event_data=high_tech(), actor=linfen.applicant)
    q = _qualified(linfen)["lf-cx-5"]
    assert q.depends_on_unverified  # type: ignore[attr-defined]
    assert q.unverified_facts == [fact]  # type: ignore[attr-defined]
    fact_verify(fact=fact, actor=linfen.agent, note="已核对证书")
    assert not _qualified(linfen)["lf-cx-5"].depends_on_unverified  # type: ignore[attr-defined]


def test_nearest_miss_names_the_missing_condition_in_chinese(linfen: Cast) -> None:
    fact_enter(
        organisation=linfen.organisation,
        event_data=high_tech(first_time=False) | {"cert": "national_little_giant"},
        actor=linfen.agent,
        note="名单",
    )
    result = entitlements_of(linfen.organisation, as_of=AS_OF)
    assert "lf-cx-5" not in {q.measure_id for q in result.qualified}
    misses = {m.measure_id: m for m in result.nearest_misses}
    assert len(result.nearest_misses) <= 5
    miss = misses["lf-cx-5"]
    assert miss.reads_own_facts
    texts = " ".join(x.text for x in miss.missing)
    assert "首次认定" in texts
    for x in miss.missing:  # words, never an expression or a field code
        assert not re.search(r"[a-z_]{3,}|==|>=|<=", x.text + x.hint)


def test_services_listed_without_amount(linfen: Cast) -> None:
    result = entitlements_of(linfen.organisation, as_of=AS_OF)
    assert result.services
    assert not hasattr(result.services[0], "amount")
