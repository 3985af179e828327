"""The where-to-settle page (选址对比) through Django's test client."""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path
from typing import Any

from django.test import Client

from jinchuang.calculator.selectors import worked_examples
from jinchuang.web.templatetags.money import yuan

DEMO_PATH = Path(__file__).resolve().parents[2] / "docs" / "examples" / "team-choosing-a-valley.json"
DEMO_URL = "/calculator/settle/?example=demo:team-choosing-a-valley"
VALLEYS = ["晋城", "晋中", "临汾", "阳泉", "大同"]
FORM = {
    "as_of": "2025-12-31",
    "applicant_kind": "enterprise",
    "applicant_valley": "晋城",
    "settled_on": "2025-01-01",
    "ev-0-type": "tech_contract_registered",
    "ev-0-date": "2025-06-01",
    "ev-0-amount": "1200000",
    "ev-0-mode": "transfer",
    "ev-0-role": "buyer",
}


def _engine(client: Client) -> dict[str, Any]:
    case = json.loads(DEMO_PATH.read_text(encoding="utf-8"))
    body = json.dumps({"case": case, "all_valleys": True, "explain": False})
    r = client.post("/api/v1/calculate", body, content_type="application/json")
    assert r.status_code == 200
    data: dict[str, Any] = r.json()
    return data


def _text(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{re.escape(testid)}"[^>]*>(.*?)</td>', html, re.S)
    assert match, testid
    return re.sub(r"<[^>]+>|\s+", "", match.group(1))


def test_demo_case_amounts_per_valley_equal_the_engines(client: Client) -> None:
    engine = _engine(client)
    r = client.get(DEMO_URL)
    assert r.status_code == 200
    page = r.content.decode()
    for valley in VALLEYS:
        assert f'data-testid="col-{valley}">{valley}<' in page
        assert _text(page, f"total-{valley}").lstrip("★") == yuan(engine["totals"][valley]["eligible"])
        assert _text(page, f"review-{valley}") == yuan(engine["totals"][valley]["needs_review_ceiling"])
    paid = [m for m in engine["measures"] if m["kind"] == "cash" and m["status"] in ("eligible", "needs_review")]
    assert {m["valley"] for m in paid} == {"晋城", "晋中", "临汾", "大同"}
    for m in paid:
        assert f'data-testid="amount-{m["measure"]}">{yuan(m["amount"])}<' in page


def test_each_amount_cites_its_clause_and_links_to_the_measure(client: Client) -> None:
    page = html_lib.unescape(client.get(DEMO_URL).content.decode())
    assert '<a href="/policies/jc-8/" data-testid="cite-jc-8">晋市政办〔2024〕39号 第8条</a>' in page
    assert '<a href="/policies/dt-8/" data-testid="cite-dt-8">同政办规〔2024〕4号 第八条</a>' in page
    assert "受每年累计上限 500,000.00 元 限制, 核减 100,000.00 元" in page  # 晋城's binding cap
    assert "法定区间 12,000.00 元 至 60,000.00 元" in page  # 晋城 jc-13 needs review: 1000–5000 元/月 × 12 个月
    assert "⚑ 条文理解" in page
    assert "就高不重复" in page


def test_best_valley_is_marked_per_category_and_the_chart_has_its_data(client: Client) -> None:
    page = client.get(DEMO_URL).content.decode()
    cell = re.search(r'<td class="settle-cell best" data-testid="cell-tech_transaction-(\S+?)"', page)
    assert cell and cell.group(1) == "大同"
    chart = re.search(r'<script id="settle-chart-data" type="application/json">(.*?)</script>', page, re.S)
    assert chart
    data = json.loads(chart.group(1))
    assert data["valleys"] == VALLEYS
    tech = next(s for s in data["series"] if s["name"] == "技术交易")
    assert tech["data"] == ["450000.00", "0.00", "0.00", "0.00", "550000.00"]
    assert "vendor/echarts.min.js" in page


def test_the_calculator_form_posts_here_and_compares_all_valleys(client: Client) -> None:
    r = client.post("/calculator/settle/", FORM)
    assert r.status_code == 200
    page = r.content.decode()
    assert 'data-testid="amount-jc-8">240,000.00<' in page
    assert 'data-testid="amount-dt-8">' in page  # the same contract judged in 大同 too
    assert 'name="scope"' not in page  # always the five valleys


def test_errors_are_shown_beside_the_field_in_chinese(client: Client) -> None:
    r = client.post(
        "/calculator/settle/",
        {**FORM, "ev-7-type": "premium_paid", "ev-7-date": "2025-06-02", "ev-7-amount": "-3", "as_of": "31/12/2025"},
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert 'data-testid="form-errors"' in page and "events[1]" not in page  # places in words, never field paths
    assert re.search(r"<li>事件 2 · [^:<]+: 金额不能为负数</li>", page)
    assert re.search(
        r'name="ev-1-amount" value="-3".*?<p class="field-error" role="alert">金额不能为负数</p>', page, re.S
    )
    assert re.search(r'name="as_of".*?<p class="field-error" role="alert">日期格式错误', page, re.S)
    assert 'data-testid="settle-result"' not in page


def test_form_and_examples_without_a_case_and_404_for_an_unknown_example(client: Client) -> None:
    page = client.get("/calculator/settle/").content.decode()
    assert "选址对比" in page and 'href="?example=demo:team-choosing-a-valley"' in page
    assert 'data-testid="settle-result"' not in page
    assert client.get("/calculator/settle/?example=nope").status_code == 404
    first = worked_examples()[0]["key"]
    assert client.get(f"/calculator/settle/?example={first}").status_code == 200


def test_home_and_calculator_link_here(client: Client) -> None:
    for url in ("/", "/calculator/"):
        assert 'href="/calculator/settle/"' in client.get(url).content.decode()
