"""The worked examples named in the rules-as-code issue, checkable by hand."""

from decimal import Decimal

from jinchuang.policy.case import parse_case
from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.evaluate import evaluate
from jinchuang.policy.vocabulary import Valley


def run(valley: Valley, kind: str, events: list[dict[str, object]], as_of: str = "2026-12-31"):  # type: ignore[no-untyped-def]
    catalog = default_catalog()
    case = parse_case(
        {
            "as_of": as_of,
            "applicant": {"kind": kind, "valley": valley.value, "settled_on": "2025-01-01"},
            "events": events,
        },
        catalog,
    )
    return evaluate(case, catalog, [valley])


def test_jincheng_technology_transfer_1_2_million_gives_240_thousand() -> None:
    r = run(
        Valley.JINCHENG,
        "enterprise",
        [
            {
                "type": "tech_contract_registered",
                "date": "2025-06-01",
                "amount": "1200000",
                "mode": "transfer",
                "role": "buyer",
            }
        ],
        "2025-12-31",
    )
    m = r.by_id("jc-8")
    assert (m.status.value, m.amount) == ("eligible", Decimal("240000.00"))


def test_linfen_insurance_premium_600_thousand_gives_200_thousand() -> None:
    r = run(
        Valley.LINFEN, "enterprise", [{"type": "premium_paid", "date": "2025-06-01", "amount": "600000"}], "2025-12-31"
    )
    m = r.by_id("lf-jr-7")
    assert (m.status.value, m.amount) == ("eligible", Decimal("200000.00"))
    assert m.binding_cap is not None and m.binding_cap.cut == Decimal("100000.00")


def test_jinzhong_maker_space_provincial_then_national_is_100k_then_100k() -> None:
    r = run(
        Valley.JINZHONG,
        "incubator_operator",
        [
            {
                "type": "platform_approved",
                "date": "2025-03-01",
                "platform": "maker_space",
                "level": "provincial",
                "first_time": True,
            },
            {
                "type": "platform_approved",
                "date": "2026-05-01",
                "platform": "maker_space",
                "level": "national",
                "first_time": True,
            },
        ],
    )
    m = r.by_id("jz-9")
    assert m.amount == Decimal("200000.00")
    assert [(s.year, s.amount) for s in m.schedule] == [(2025, Decimal("100000.00")), (2026, Decimal("100000.00"))]
    assert m.binding_cap is not None and m.binding_cap.cap == "cumulative_per_entity"
