from django.test import Client

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
    "scope": "",
}


def test_page_renders_form_and_examples(client: Client) -> None:
    r = client.get("/calculator/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "政策计算器" in html and 'name="as_of"' in html and "从条文测试示例载入" in html


def test_result_shows_amount_and_clause(client: Client) -> None:
    html = client.post("/calculator/", FORM).content.decode()
    assert 'data-testid="amount-jc-8">240,000.00<' in html
    assert "晋市政办〔2024〕39号 第8条" in html


def test_errors_are_shown_beside_the_field_in_chinese(client: Client) -> None:
    r = client.post(
        "/calculator/",
        {
            **FORM,
            "ev-7-type": "tech_contract_registered",
            "ev-7-date": "2025-06-02",
            "ev-7-amount": "-3",
            "ev-7-mode": "transfer",
            "as_of": "31/12/2025",
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "金额不能为负数" in html and "日期格式错误" in html
    # the bad row is re-rendered as the second event row, with its error beside it
    assert 'name="ev-1-amount" value="-3"' in html


def test_unknown_example_is_404(client: Client) -> None:
    assert client.get("/calculator/?example=nope:1").status_code == 404


def test_event_row_fragment(client: Client) -> None:
    r = client.get("/calculator/event-row/?type=person_hired&index=4")
    assert r.status_code == 200 and 'name="ev-4-degree"' in r.content.decode()
    assert client.get("/calculator/event-row/?type=bogus").status_code == 400


def test_unknown_valley_and_missing_required_field_on_the_page(client: Client) -> None:
    r = client.post("/calculator/", {**FORM, "applicant_valley": "太原", "ev-0-amount": ""})
    assert r.status_code == 400
    html = r.content.decode()
    assert "未知的创新驱动平台(谷) &#x27;太原&#x27;" in html or "未知的创新驱动平台(谷) '太原'" in html
    assert "必填: 技术交易额" in html


def test_event_row_follows_the_rows_own_type_select(client: Client) -> None:
    r = client.get("/calculator/event-row/?ev-2-type=premium_paid&index=2")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'name="ev-2-amount"' in html and 'name="ev-2-mode"' not in html
