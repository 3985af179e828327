"""The workbench (工作台): what each role sees, read from the owning areas, and only in the user's scope."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jinchuang.accounts.models import Role, User
from jinchuang.applications.escalation import applications_escalate_overdue
from jinchuang.applications.models import Application, Award, Instalment, Offer, OfferState
from jinchuang.applications.workflow import State
from jinchuang.records.services import fact_enter
from jinchuang.simulations.models import RunStatus, SimulationRun
from jinchuang.web.selectors import clock_text
from tests.applications.conftest import Cast, make_cast, submit
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return make_cast()


#: the navigation's public items, one click from every page (jinchuang/web/templatetags/nav.py PUBLIC)
PUBLIC_KEYS = ["calculator", "policies", "compare", "settle", "public-notice", "progress"]


def page_of(user: User) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("web:workbench"))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, testid: str) -> str:
    """The HTML of the <section data-testid=...> (sections do not nest)."""
    match = re.search(rf'<section[^>]*data-testid="{testid}".*?</section>', html, re.S)
    assert match, f"no section {testid}"
    return match.group(0)


def test_the_workbench_needs_a_login(client: Client) -> None:
    response = client.get(reverse("web:workbench"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_applicant_sees_its_record_entitlements_and_applications_with_their_step(cast: Cast) -> None:
    application = submit(cast)  # 晋城 第8条 技术交易, submitted: waits for the 服务专员
    assert cast.other_applicant.organisation is not None
    other = Application.objects.create(
        organisation=cast.other_applicant.organisation,
        measure_id="jc-8",
        title="另一家企业的申报",
        idempotency_key="other-1",
        created_by=cast.other_applicant,
        state=State.SUBMITTED,
    )
    html = page_of(cast.applicant)
    mine = section(html, "bench-applicant")
    assert cast.organisation.name in mine
    # the record: completeness from the record (no 统一社会信用代码, no contact yet)
    assert "机构档案" in mine and "待补：" in mine and "统一社会信用代码" in mine
    # its application with the step it is in, who holds it and the clock
    row = re.search(rf'<tr[^>]*data-testid="bench-case-{application.pk}".*?</tr>', mine, re.S)
    assert row, "the applicant's own application is listed"
    assert "已申报(待受理)" in row.group(0)
    assert "晋市政办〔2024〕39号 第8条" in row.group(0)
    assert re.search(r"剩余 \d+ (小时|分钟|个工作日)", row.group(0))
    # never another organisation's application
    assert f'bench-case-{other.pk}"' not in html and "另一家企业的申报" not in html
    # no officer sections
    assert 'data-testid="bench-queue-' not in html and 'data-testid="bench-finance"' not in html


def test_applicant_entitlements_come_from_the_record_with_amount_and_clause(cast: Cast) -> None:
    contract = {"type": "tech_contract_registered", "date": "2026-06-01", "amount": "1200000"}
    fact_enter(
        organisation=cast.organisation,
        event_data=contract | {"mode": "transfer", "role": "buyer"},
        actor=cast.agent,
        note="技术合同登记证明",
    )
    html = section(page_of(cast.applicant), "bench-applicant")
    count = re.search(r'data-testid="bench-entitlement-count">(\d+) 项<', html)
    assert count and int(count.group(1)) >= 1
    table = re.search(r'data-testid="bench-top-entitlements".*?</table>', html, re.S)
    assert table, "the top entitlements are listed"
    assert "第8条" in table.group(0)  # the clause beside the amount
    assert "240,000.00 元" in table.group(0)  # 1,200,000 × 20 %, with separators


def test_applicant_sees_its_open_offers_only(cast: Cast) -> None:
    mine = Offer.objects.create(
        organisation=cast.organisation, measure_id="jc-8", title="支持技术交易", engine_max_fen=24_000_000
    )
    Offer.objects.create(
        organisation=cast.organisation, measure_id="jc-3", title="已确认的", state=OfferState.CONFIRMED
    )
    assert cast.other_applicant.organisation is not None
    Offer.objects.create(organisation=cast.other_applicant.organisation, measure_id="jc-8", title="别家的推送")
    html = section(page_of(cast.applicant), "bench-applicant")
    assert "1 项待确认" in html
    offers = re.search(r'data-testid="bench-offer-list".*?</table>', html, re.S)
    assert offers and "支持技术交易" in offers.group(0)
    assert "240,000.00 元" in offers.group(0) and "第8条" in offers.group(0)
    assert "已确认的" not in html and "别家的推送" not in html
    assert mine.state == OfferState.OPEN


def test_service_agent_sees_the_queue_of_the_organisations_served_with_the_clock(cast: Cast) -> None:
    application = submit(cast)
    html = page_of(cast.agent)
    queue = section(html, f"bench-queue-{Role.SERVICE_AGENT}")
    assert f'bench-case-{application.pk}"' in queue
    assert cast.organisation.name in queue
    assert re.search(rf'data-testid="clock-{application.pk}">剩余 ', queue)
    # another agent serves nobody: an empty queue
    assert f'bench-case-{application.pk}"' not in page_of(cast.other_agent)


def test_overdue_cases_come_first_marked_overdue(cast: Cast) -> None:
    on_time = submit(cast)
    late = submit(cast)
    Application.objects.filter(pk=late.pk).update(step_deadline=timezone.now() - dt.timedelta(days=3))
    queue = section(page_of(cast.agent), f"bench-queue-{Role.SERVICE_AGENT}")
    assert queue.index(f'bench-case-{late.pk}"') < queue.index(f'bench-case-{on_time.pk}"')
    assert re.search(rf'data-testid="clock-{late.pk}">已超时 ', queue)
    assert 'data-testid="bench-overdue-service_agent">1 件超时' in queue
    assert f'data-testid="escalated-{late.pk}"' not in queue
    applications_escalate_overdue()  # 督办: the head is told, the case marked
    queue = section(page_of(cast.agent), f"bench-queue-{Role.SERVICE_AGENT}")
    assert re.search(rf'data-testid="escalated-{late.pk}"[^>]*>已督办<', queue)


def test_finance_sees_instalments_due_with_clause_and_total(cast: Cast) -> None:
    application = Application.objects.create(
        organisation=cast.organisation,
        measure_id="jc-8",
        title="支持技术交易",
        citation="晋市政办〔2024〕39号 第8条",
        lead_department="晋城市科技局",
        state=State.PAYMENT_SCHEDULED,
        idempotency_key="finance-1",
        created_by=cast.applicant,
    )
    award = Award.objects.create(
        application=application,
        organisation=cast.organisation,
        measure_id="jc-8",
        lead_department="晋城市科技局",
        valley=cast.organisation.valley,
        amount_fen=24_000_000,
        approved_at=timezone.now(),
        approved_by=cast.reviewer,
    )
    year = timezone.localdate().year
    due = Instalment.objects.create(award=award, sequence=1, due_year=year, amount_fen=12_000_000)
    Instalment.objects.create(award=award, sequence=2, due_year=year + 1, amount_fen=12_000_000)  # not due yet
    html = page_of(cast.finance)
    finance = section(html, "bench-finance")
    assert f'bench-due-{due.pk}"' in finance
    assert "晋市政办〔2024〕39号 第8条" in finance
    assert 'data-testid="bench-finance-total">120,000.00 元<' in finance
    assert "共 1 期" in finance
    assert 'data-testid="bench-applicant"' not in html


def test_policy_maker_sees_recent_simulations_and_a_way_to_start_one(cast: Cast) -> None:
    run = SimulationRun.objects.create(
        population="demo-20000",
        reform_text="name: 提高上限",
        reform_name="晋城技术交易上限提高到100万元",
        first_year=2025,
        last_year=2027,
        status=RunStatus.DONE,
        result={"totals": {"baseline_fen": 100, "reform_fen": 1_234_567_800, "diff_fen": 1_234_567_700}},
    )
    policy_maker = make_user(roles={Role.POLICY_MAKER: ""})
    html = page_of(policy_maker)
    policy = section(html, "bench-policy")
    assert "晋城技术交易上限提高到100万元" in policy
    assert f'href="{reverse("simulations:run", args=[run.pk])}"' in policy
    assert "+12,345,677.00" in policy
    assert f'href="{reverse("simulations:page")}"' in policy
    assert 'data-testid="nav-simulations"' in html
    # an applicant has no simulation section and no simulation item in the navigation
    applicant_html = page_of(cast.applicant)
    assert 'data-testid="bench-policy"' not in applicant_html
    assert 'data-testid="nav-simulations"' not in applicant_html


def test_a_user_with_several_roles_sees_each_section(cast: Cast) -> None:
    submit(cast)
    both = make_user(organisation=cast.organisation, roles={Role.APPLICANT: "", Role.POLICY_MAKER: ""})
    html = page_of(both)
    assert 'data-testid="bench-applicant"' in html and 'data-testid="bench-policy"' in html


def test_a_user_without_a_role_is_told_what_to_do(db: None) -> None:
    html = page_of(make_user(roles={}))
    assert 'data-testid="bench-empty"' in html


@pytest.mark.parametrize(
    ("role", "department", "expected", "absent"),
    [
        (Role.APPLICANT, "", ["workbench", "records", "applications", "offers", "notifications"], ["queue", "ledger"]),
        (Role.SERVICE_AGENT, "", ["workbench", "queue", "notifications"], ["records", "ledger", "simulations"]),
        (Role.REVIEWER, "晋城市科学技术局", ["workbench", "queue", "notifications"], ["offers", "ledger"]),
        (Role.EXPERT, "", ["workbench", "queue", "notifications"], ["ledger", "applications"]),
        (Role.FINANCE, "", ["workbench", "ledger"], ["queue", "records", "simulations"]),
        (Role.POLICY_MAKER, "", ["workbench", "simulations"], ["queue", "ledger", "records"]),
    ],
)
def test_the_navigation_depends_on_the_role(
    role: Role, department: str, expected: list[str], absent: list[str]
) -> None:
    html = page_of(make_user(roles={role: department}))
    for key in [*PUBLIC_KEYS, *expected]:
        assert f'data-testid="nav-{key}"' in html, key
    for key in absent:
        assert f'data-testid="nav-{key}"' not in html, key


def test_visitors_see_the_public_items_and_the_menu_button(client: Client) -> None:
    html = client.get(reverse("web:home")).content.decode()
    for key in [*PUBLIC_KEYS, "login"]:
        assert f'data-testid="nav-{key}"' in html, key
    # 进度查询 needs no account: one click from the navigation and from a home card
    assert re.search(r'<a href="/applications/progress/" data-testid="nav-progress">进度查询</a>', html)
    assert re.search(r'<a class="card" href="/applications/progress/" data-testid="home-progress">', html)
    assert 'data-testid="nav-workbench"' not in html
    button = r'<button type="button" class="menu-button"[^>]*aria-controls="main-nav"[^>]*aria-expanded="false"'
    assert re.search(button, html)
    assert html.count(">晋创通<") == 1  # the brand, once
    # every card of the home page is a link
    cards = re.findall(r'<(\w+) class="card"', html)
    assert cards and set(cards) == {"a"}


def test_the_current_page_is_marked_in_the_navigation(client: Client) -> None:
    html = client.get(reverse("policies:compare")).content.decode()
    assert re.search(r'data-testid="nav-compare" aria-current="page"', html)
    assert not re.search(r'data-testid="nav-policies" aria-current="page"', html)


def test_the_progress_page_is_marked_current_and_reads_in_english(client: Client) -> None:
    html = client.get(reverse("applications:progress")).content.decode()
    assert re.search(r'data-testid="nav-progress" aria-current="page"', html)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("web:home")})
    html = client.get(reverse("web:home")).content.decode()
    assert 'data-testid="nav-progress">Track an application</a>' in html


def test_clock_text_in_working_days_hours_or_minutes() -> None:
    assert clock_text(dt.timedelta(hours=20)) == "剩余 2 个工作日"
    assert clock_text(dt.timedelta(hours=3, minutes=10)) == "剩余 3 小时"
    assert clock_text(dt.timedelta(seconds=20)) == "剩余 1 分钟"
    assert clock_text(-dt.timedelta(hours=9)) == "已超时 1 个工作日"
    assert clock_text(None) == ""


def test_reviewer_and_expert_see_only_their_cases(cast: Cast) -> None:
    from tests.applications.conftest import startup_capital_case, walk

    application = walk(submit(cast, startup_capital_case(), measure_id="jc-3"), cast, State.EXPERT_REVIEW)
    row = f'bench-case-{application.pk}"'
    reviewer = section(page_of(cast.reviewer), f"bench-queue-{Role.REVIEWER}")
    assert row in reviewer and "专家评审" in reviewer
    assert row not in page_of(cast.other_reviewer)  # another department
    expert = section(page_of(cast.expert), f"bench-queue-{Role.EXPERT}")
    assert row in expert
    assert row not in page_of(make_user(roles={Role.EXPERT: ""}))  # an expert not assigned


def test_admin_sees_overdue_cases_to_chase_and_the_simulations(cast: Cast) -> None:
    late = submit(cast)
    Application.objects.filter(pk=late.pk).update(step_deadline=timezone.now() - dt.timedelta(hours=30))
    html = page_of(cast.admin)
    admin = section(html, f"bench-queue-{Role.ADMIN}")
    assert f'bench-case-{late.pk}"' in admin and "已超时" in admin
    assert 'data-testid="bench-policy"' in html


def test_the_workbench_in_english(cast: Cast) -> None:
    submit(cast)
    client = Client()
    client.force_login(cast.applicant)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("web:workbench")).content.decode()
    assert '<html lang="en">' in html
    for words in ("Workbench", "Open applications", "Organisation record", "parts complete", "left"):
        assert words in html, words
    for chinese in ("工作台", "在办申报", "已完善", "剩余", "待补"):
        assert chinese not in html, chinese
