"""Demo data of the organisation record (run after ``load_demo`` and ``load_demo_applications``):

- 统一社会信用代码 (valid check characters) and a contact for the demo organisations that have none;
- the demo applicant's enterprise: a technology contract entered and verified by its 服务专员, and a hired
  博士 declared by the enterprise with its contract as evidence, waiting for verification;
- a demo enterprise of the 临汾 valley (created here, login ``demo_applicant_lf``), named in a demo
  高新技术企业认定名单 (a CSV of 6 rows: 1 matched, the others reported) imported by the demo reviewer —
  the import's report and the 免申即享 offer it leads to (科技创新·五, 100,000 yuan) are there to see;
- the second demo applicant's enterprise: a declared 高新技术企业 certification.

Idempotent: facts are found by their digest, the import by its key, users by username."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jinchuang.accounts.demo import DEMO_PASSWORD
from jinchuang.accounts.models import Organisation, Role, User, uscc_check_character
from jinchuang.accounts.services import organisation_create, user_create
from jinchuang.policy.vocabulary import OrgKind, Valley
from jinchuang.records.evidence import LISTS, evidence_upload
from jinchuang.records.imports import import_start
from jinchuang.records.models import Contact, Evidence, Fact
from jinchuang.records.services import fact_declare, fact_enter
from jinchuang.tasks.services import run_pending

LINFEN_ENTERPRISE = "演示·临汾高新材料有限公司"
LINFEN_APPLICANT = "demo_applicant_lf"
#: a minimal PDF (the demo contract of the hire)
DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def uscc(seed: int) -> str:
    """A valid 统一社会信用代码 for demo organisation ``seed`` (91 = enterprise; 140000 = 山西)."""
    body = f"91140000MA{seed:07d}"
    return body + uscc_check_character(body)


def _ensure_codes() -> None:
    for n, organisation in enumerate(Organisation.objects.filter(name__startswith="演示·").order_by("pk"), start=1):
        if not organisation.unified_social_credit_code:
            organisation.unified_social_credit_code = uscc(n)
            organisation.full_clean()
            organisation.save(update_fields=["unified_social_credit_code"])
        if not Contact.objects.filter(organisation=organisation).exists():
            Contact.objects.create(organisation=organisation, name="刘联络", role="办公室主任", phone="13912345678")


def _linfen_enterprise() -> Organisation:
    organisation = Organisation.objects.filter(name=LINFEN_ENTERPRISE).first()
    if organisation is None:
        organisation = organisation_create(
            actor=None,
            name=LINFEN_ENTERPRISE,
            kind=OrgKind.ENTERPRISE,
            valley=Valley.LINFEN,
            settled_on=dt.date(2024, 6, 1),
            unified_social_credit_code=uscc(900),
        )
    if not User.objects.filter(username=LINFEN_APPLICANT).exists():
        user_create(
            actor=None,
            username=LINFEN_APPLICANT,
            password=DEMO_PASSWORD,
            display_name="郑申报",
            phone="13800007788",
            email="",
            organisation=organisation,
            roles={Role.APPLICANT: ""},
        )
    return organisation


def _high_tech_list(linfen: Organisation) -> bytes:
    lines = [
        "序号,企业名称,统一社会信用代码,资质,认定日期,证书编号",
        f"1,{linfen.name},{linfen.unified_social_credit_code},高新技术企业,2025-11-20,GR202514000901",
        f"2,临汾未入驻企业,{uscc(901)},高新技术企业,2025-11-20,GR202514000902",
        "3,代码有误的企业,91140000MA0000903X,高新技术企业,2025-11-20,GR202514000903",
        f"4,日期有误的企业,{uscc(904)},高新技术企业,2025-13-01,GR202514000904",
        f"5,临汾另一企业,{uscc(905)},高新技术企业,2025-11-20,GR202514000905",
        f"6,临汾第三企业,{uscc(906)},高新技术企业,,GR202514000906",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


class Command(BaseCommand):
    help = "机构档案演示数据: 信用代码、联系人、事实(已核验/待核验)、一份部门名单导入及其免申即享 (可重复运行)"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            agent = User.objects.get(username="demo_agent")
            reviewer = User.objects.get(username="demo_reviewer")
            applicant = User.objects.get(username="demo_applicant")
            applicant_dt = User.objects.get(username="demo_applicant_dt")
        except User.DoesNotExist as exc:
            raise CommandError("请先运行 load_demo 和 load_demo_applications") from exc
        with transaction.atomic():
            _ensure_codes()
            linfen = _linfen_enterprise()
        jincheng = applicant.organisation
        assert jincheng is not None and applicant_dt.organisation is not None
        fact_enter(
            organisation=jincheng,
            event_data={
                "type": "tech_contract_registered",
                "date": "2025-06-01",
                "amount": "1200000",
                "mode": "transfer",
                "role": "buyer",
                "registered": True,
                "ref": "晋技合登 2025-0601",
            },
            actor=agent,
            note="核对技术合同登记证明原件",
        )
        contract = Evidence.objects.filter(organisation=jincheng, original_name="博士劳动合同.pdf").first()
        if contract is None:
            contract = evidence_upload(
                file=io.BytesIO(DEMO_PDF), original_name="博士劳动合同.pdf", actor=applicant, organisation=jincheng
            )
        fact_declare(
            organisation=jincheng,
            event_data={
                "type": "person_hired",
                "date": "2025-09-01",
                "degree": "phd",
                "full_time": True,
                "contract_years": 3,
                "social_insurance_months": 12,
            },
            actor=applicant,
            evidence=[contract],
            subject="陈博士",
        )
        fact_declare(
            organisation=applicant_dt.organisation,
            event_data={"type": "certification_granted", "date": "2025-10-15", "cert": "high_tech", "first_time": True},
            actor=applicant_dt,
        )
        listing = Evidence.objects.filter(original_name="临汾市2025年高新技术企业认定名单(演示).csv").first()
        if listing is None:
            listing = evidence_upload(
                file=SimpleUploadedFile("list.csv", _high_tech_list(linfen)),
                original_name="临汾市2025年高新技术企业认定名单(演示).csv",
                actor=reviewer,
                organisation=None,
                accepted=LISTS,
            )
        data_import = import_start(
            evidence=listing,
            event_type="certification_granted",
            mapping={"uscc": "统一社会信用代码", "date": "认定日期", "cert": "资质", "ref": "证书编号"},
            constants={},
            source="临汾市科学技术局 2025年高新技术企业认定名单(演示)",
            actor=reviewer,
        )
        run_pending()  # the import and the re-evaluations it leads to (the worker would do the same)
        data_import.refresh_from_db()
        facts = Fact.objects.filter(organisation__name__startswith="演示·").count()
        self.stdout.write(
            f"机构档案: {facts} 项事实; 名单导入「{data_import.source}」{data_import.get_state_display()}, "
            f"新增 {data_import.created_count} 项, 问题行 {len(data_import.problems)} 行"
        )
