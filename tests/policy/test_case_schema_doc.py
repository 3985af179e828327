import json
from pathlib import Path

from jinchuang.policy.case import parse_case
from jinchuang.policy.case_schema import case_json_schema
from jinchuang.policy.catalog import default_catalog

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_committed_case_schema_is_current() -> None:
    committed = json.loads((DOCS / "case.schema.json").read_text(encoding="utf-8"))
    assert committed == case_json_schema(default_catalog().vocabulary), (
        "docs/case.schema.json is out of date: run `jinchuang catalog case-schema > docs/case.schema.json`"
    )


def test_documented_examples_parse() -> None:
    catalog = default_catalog()
    for path in sorted((DOCS / "examples").glob("*.json")):
        parse_case(json.loads(path.read_text(encoding="utf-8")), catalog)
