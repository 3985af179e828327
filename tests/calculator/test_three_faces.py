"""One engine behind three faces: the CLI, the API and the web page give the same answer."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from jinchuang.cli import main
from jinchuang.policy.catalog import DOCUMENT_IDS, load_cases

AMOUNT = re.compile(r'data-testid="amount-([a-z0-9-]+)">([^<]+)<')


def _examples() -> list[Any]:
    out = []
    for doc_id in DOCUMENT_IDS:
        cases = [c for c in load_cases(doc_id) if c.get("expect", {}).get("status") in ("eligible", "needs_review")]
        for spec in cases[:: max(len(cases) // 4, 1)][:4]:
            out.append(pytest.param(spec["case"], id=f"{doc_id}-{spec['measure']}"))
    return out


def _form(case: dict[str, Any]) -> dict[str, str]:
    applicant = case["applicant"]
    form = {
        "as_of": str(case["as_of"]),
        "applicant_kind": applicant["kind"],
        "scope": "all",
        "applicant_valley": applicant.get("valley") or "",
        "settled_on": str(applicant.get("settled_on") or ""),
        "certifications": ",".join(applicant.get("certifications", [])),
    }
    for i, event in enumerate(case.get("events", [])):
        for key, value in event.items():
            form[f"ev-{i}-{key}"] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    for i, grant in enumerate(case.get("prior_grants", [])):
        for key, value in grant.items():
            form[f"pg-{i}-{key}"] = str(value)
    return form


@pytest.mark.parametrize("case", _examples())
def test_same_answer_from_cli_api_and_page(
    case: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str], client: Client
) -> None:
    case = json.loads(json.dumps(case, default=str))
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    assert main(["calc", str(path), "--all-valleys", "--format", "json"]) == 0
    cli = {m["measure"]: (m["status"], m["amount"]) for m in json.loads(capsys.readouterr().out)["measures"]}

    response = client.post("/api/v1/calculate", {"case": case, "all_valleys": True}, content_type="application/json")
    assert response.status_code == 200, response.content
    api = {m["measure"]: (m["status"], m["amount"]) for m in response.json()["measures"]}
    assert api == cli

    page = client.post("/calculator/", _form(case))
    assert page.status_code == 200, page.content.decode()[:2000]
    shown = {mid: Decimal(text.replace(",", "")) for mid, text in AMOUNT.findall(page.content.decode()) if text != "—"}
    assert shown, "the page shows no amounts"
    for mid, amount in shown.items():
        assert amount == Decimal(cli[mid][1]), mid
    for mid, (status, amount) in cli.items():
        if status in ("eligible", "needs_review"):
            assert mid in shown, f"{mid} is {status} ({amount}) in the CLI but missing on the page"
