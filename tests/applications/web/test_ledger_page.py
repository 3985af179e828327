"""The ledger page: 申报编号, clause, 统一社会信用代码, organisation, measure, amounts with thousands
separators, paid date, the officers who approved and paid; filters by valley, measure and month paid
(a bad month named beside its field, the typed value kept); totals and the chart's data from the same query."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook

from jinchuang.applications.web.views.ledger import application_reference
from tests.applications.ledger_support import LEDGER_CODE, award, two_awards
from tests.applications.web.conftest import Cast

pytestmark = pytest.mark.django_db

CODE = LEDGER_CODE


def _chart(html: str) -> dict[str, object]:
    found = re.search(r'<script id="ledger-chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, "the chart's data is on the page"
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_the_ledger_shows_clause_number_credit_code_and_formatted_amounts(cast: Cast) -> None:
    two_awards(cast)
    response = cast.client(cast.finance).get("/applications/ledger/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "晋市政办〔2024〕39号 第8条" in html and "晋市政办〔2024〕39号 第3条" in html
    assert CODE in html
    shown = re.sub(r'<script id="ledger-chart-data".*?</script>', "", html, flags=re.S)  # what a reader sees
    assert "1,100,000.00" in shown and "1100000.00" not in shown  # "合计 1100000.00 元" no more
    assert 'data-testid="total">1,766,666.67 元<' in html
    assert 'data-testid="paid">1,433,333.33 元<' in html
    assert 'data-testid="unpaid">333,333.34 元<' in html
    assert "2026-01-05" in html
    assert cast.reviewer.get_full_name() in html and cast.finance.get_full_name() in html  # approved, paid
    references = re.findall(r'data-testid="ledger-number">([^<]+)<', html)
    assert references[0] == "JC-2026-000007"  # the 申报编号; the award without one shows its record number
    assert len(references) == 3 and all(r.startswith("#") for r in references[1:])


def test_the_chart_data_comes_from_the_same_query_in_exact_yuan(cast: Cast) -> None:
    two_awards(cast)
    data = _chart(cast.client(cast.finance).get("/applications/ledger/").content.decode())
    measures = data["measures"]
    assert isinstance(measures, dict)
    assert measures["labels"] == ["支持技术交易", "创新落户企业注册资本支持"]
    paid, unpaid = measures["series"]
    assert paid["values"] == ["1100000.00", "333333.33"] and unpaid["values"] == ["0.00", "333333.34"]
    assert paid["texts"] == ["1,100,000.00 元", "333,333.33 元"]
    assert measures["citations"] == ["晋市政办〔2024〕39号 第8条", "晋市政办〔2024〕39号 第3条"]
    months = data["months"]
    assert isinstance(months, dict)
    assert months["labels"] == ["2026-01", "2026-03"]
    assert months["series"][0]["values"] == ["1100000.00", "333333.33"]
    filtered = _chart(cast.client(cast.finance).get("/applications/ledger/?measure=jc-3").content.decode())
    assert isinstance(filtered["measures"], dict) and filtered["measures"]["labels"] == ["创新落户企业注册资本支持"]


def test_filters_by_valley_measure_and_month(cast: Cast) -> None:
    two_awards(cast)
    finance = cast.client(cast.finance)
    march = finance.get("/applications/ledger/?month=2026-03").content.decode()
    assert 'data-testid="total">333,333.33 元<' in march and "1,100,000.00" not in march
    assert 'value="2026-03"' in march  # the month typed stays in its field
    tech = finance.get("/applications/ledger/?measure=jc-8&valley=晋城").content.decode()
    assert 'data-testid="total">1,100,000.00 元<' in tech and "333,333.33" not in tech
    assert '<option value="jc-8" selected>' in tech
    assert ">jc-8<" not in tech  # the measure is offered by its clause and name, not by its id
    elsewhere = finance.get("/applications/ledger/?valley=大同").content.decode()
    assert 'data-testid="total">0.00 元<' in elsewhere and "没有符合条件的记录" in elsewhere


def test_a_bad_month_is_named_beside_its_field_and_kept(cast: Cast) -> None:
    two_awards(cast)
    html = cast.client(cast.finance).get("/applications/ledger/?month=2026-13").content.decode()
    field = html.split('for="f-month"', 1)[1].split("</div>", 1)[0]
    assert "拨付月份请按 年-月 填写" in field and 'value="2026-13"' in field
    assert 'class="field has-error"' in html.split('for="f-month"', 1)[0].rsplit("<div", 1)[1]
    assert 'data-testid="total">1,766,666.67 元<' in html  # the bad filter is not applied


def test_an_enterprise_sees_its_rows_without_the_officers_names(cast: Cast) -> None:
    two_awards(cast)
    own = cast.client(cast.applicant).get("/applications/ledger/").content.decode()
    assert CODE in own and "1,100,000.00" in own
    assert cast.finance.get_full_name() not in own and "拨付登记人" not in own
    other = cast.client(cast.other_applicant).get("/applications/ledger/").content.decode()
    assert cast.organisation.name not in other
    assert CODE not in other and 'data-testid="total">0.00 元<' in other


def test_the_reference_is_the_number_when_the_application_has_one(cast: Cast) -> None:
    made = award(organisation=cast.organisation, approver=cast.reviewer, instalments=[(2026, 100, None)])
    application = made.application
    application.number = "JC-2026-000042"
    assert application_reference(application) == "JC-2026-000042"
    application.number = ""
    assert application_reference(application) == f"#{application.pk}"


@pytest.fixture
def platform_language() -> Iterator[None]:
    """Put the thread's language back to Chinese after a test whose requests switched it to English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.mark.usefixtures("platform_language")
def test_the_ledger_and_its_export_in_english(cast: Cast) -> None:
    two_awards(cast)
    client = cast.client(cast.finance)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    html = client.get("/applications/ledger/?month=2026-1x").content.decode()
    for text in ("Application number", "Month paid", "Payment recorded by", "Write the month paid as year-month"):
        assert text in html, text
    export = client.get("/applications/ledger/export.xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    assert sheet["A1"].value == "Innovation valley support fund ledger"
    assert str(sheet["A2"].value).startswith("Filters: ")
    assert sheet["B5"].value == "Jincheng"  # the valley's name in the page's language
    assert "Jincheng · " in html


def test_a_long_ledger_lists_the_first_rows_and_totals_them_all(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    two_awards(cast)
    monkeypatch.setattr("jinchuang.applications.web.views.ledger.PAGE_ROWS", 1)
    html = cast.client(cast.finance).get("/applications/ledger/").content.decode()
    assert len(re.findall(r'data-testid="ledger-row-\d+"', html)) == 1
    assert 'data-testid="truncated"' in html and "仅列出前 1 行" in html
    assert 'data-testid="total">1,766,666.67 元<' in html  # all three instalments
    assert 'data-testid="ledger-total">1,766,666.67<' in html
