import json
from pathlib import Path

import pytest

from jinchuang.cli import main
from jinchuang.policy.catalog import DOCUMENT_IDS, default_catalog
from jinchuang.policy.coverage import coverage_json

CASE = {
    "as_of": "2025-12-31",
    "applicant": {"kind": "enterprise", "valley": "晋城", "settled_on": "2025-01-01"},
    "events": [
        {
            "type": "tech_contract_registered",
            "date": "2025-06-01",
            "amount": "1200000",
            "mode": "transfer",
            "role": "buyer",
        }
    ],
}


def write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_calc_json_and_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calc", write(tmp_path, CASE), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["valleys"] == ["晋城"]
    assert main(["calc", write(tmp_path, CASE), "--all-valleys"]) == 0
    table = capsys.readouterr().out
    for valley in ("晋城", "晋中", "临汾", "阳泉", "大同"):
        assert f"{valley}: 符合条件合计" in table


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"applicant": {**CASE["applicant"], "valley": "太原"}}, "applicant.valley"),
        ({"events": [{**CASE["events"][0], "amount": "-5"}]}, "events[0].amount"),
        ({"as_of": "2025-02-30"}, "as_of"),
        ({"applicant": {"valley": "晋城"}}, "applicant.kind"),
    ],
)
def test_calc_bad_input_names_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], patch: dict, field: str
) -> None:
    assert main(["calc", write(tmp_path, {**CASE, **patch})]) == 2
    err = json.loads(capsys.readouterr().err)
    assert field in [e["field"] for e in err["errors"]]


def test_calc_unknown_valley_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calc", write(tmp_path, CASE), "--valley", "太原"]) == 2
    assert "--valley" in capsys.readouterr().err


def test_coverage_json(capsys: pytest.CaptureFixture[str]) -> None:
    main(["catalog", "coverage", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert {d["document"] for d in data["documents"]} <= set(DOCUMENT_IDS)


def test_catalog_is_complete() -> None:
    """Acceptance: every clause of all five documents encoded verbatim, every cash measure tested."""
    data = coverage_json(default_catalog())
    docs = {d["document"]: d for d in data["documents"]}
    assert sorted(docs) == sorted(DOCUMENT_IDS)
    for doc in docs.values():
        assert doc["clauses_in_text"] == doc["clauses_encoded"], doc
        assert list(doc["not_verbatim"]) == [], doc
        assert list(doc["cash_untested"]) == [], doc
    assert data["complete"] is True


@pytest.mark.parametrize("amount", ["1" * 40, 10**39])
def test_calc_a_40_digit_amount_exits_2_with_the_named_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], amount: object
) -> None:
    # before the one money module: a decimal.InvalidOperation traceback and exit 1
    case = {**CASE, "events": [{**CASE["events"][0], "amount": amount}]}
    assert main(["calc", write(tmp_path, case)]) == 2
    err = json.loads(capsys.readouterr().err)
    assert err == {
        "error": "invalid_case",
        "errors": [{"field": "events[0].amount", "message": "金额超出范围: 最大 999,999,999,999.99 元"}],
    }


def test_calc_a_5000_digit_integer_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE).replace('"1200000"', "9" * 5000), encoding="utf-8")
    assert main(["calc", str(path)]) == 2
    assert json.loads(capsys.readouterr().err)["errors"][0]["field"] == "$"
