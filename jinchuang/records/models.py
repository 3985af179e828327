"""The organisation record (机构档案): contacts, evidence files and a timeline of facts.

A **fact** is one event of the case vocabulary (``policy/catalog/events.yaml``) that the platform holds
about an organisation, stored in canonical form (money in integer fen, codes, ISO dates) with its
provenance and its verification state. One contract is one fact however its amount was typed: the
fact's ``digest`` names it, and an organisation holds at most one live fact per digest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.models import Organisation, phone_validator

USER = settings.AUTH_USER_MODEL


class Provenance(models.TextChoices):
    DECLARED = "declared", _("机构申报")
    OFFICER = "officer", _("工作人员录入")
    IMPORTED = "imported", _("部门数据导入")
    PLATFORM = "platform", _("平台业务产生")


class FactState(models.TextChoices):
    DECLARED = "declared", _("待核验")
    VERIFIED = "verified", _("已核验")
    REJECTED = "rejected", _("已驳回")
    SUPERSEDED = "superseded", _("已更正")


#: a fact in one of these states is part of the organisation's current record
LIVE_STATES = (FactState.DECLARED, FactState.VERIFIED)

#: the event type of a platform award: the record's own kind of fact, read as a prior grant
#: (就高不重复) by every later calculation; it is not an event of the case vocabulary
AWARD_FACT = "platform_award"


class Evidence(models.Model):
    """A file that proves a fact (a contract, a certificate, a department's list), stored under the
    upload rules of ``records/evidence.py``."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="evidence", null=True, blank=True
    )  # None: a department's list that serves many organisations
    stored_name = models.CharField(_("存储文件名"), max_length=100, unique=True)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    content_type = models.CharField(_("类型"), max_length=80)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name


class Fact(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="facts")
    event_type = models.CharField(_("事实类型"), max_length=64, db_index=True)
    date = models.DateField(_("发生日期"))
    fields = models.JSONField(_("内容"), default=dict)  # canonical: money in fen, numbers as text
    digest = models.CharField(_("事实摘要"), max_length=24)
    ref = models.CharField(_("编号/备注"), max_length=200, blank=True, default="")
    subject = models.CharField(_("对象(已脱敏)"), max_length=64, blank=True, default="")  # e.g. a hire: 张*
    provenance = models.CharField(_("来源"), max_length=16, choices=Provenance.choices)
    source = models.CharField(_("来源说明"), max_length=200, blank=True, default="")
    state = models.CharField(_("状态"), max_length=16, choices=FactState.choices, db_index=True)
    evidence = models.ManyToManyField(Evidence, verbose_name=_("证明材料"), related_name="facts", blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("更正的事实"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    data_import = models.ForeignKey("DataImport", on_delete=models.PROTECT, null=True, blank=True, related_name="facts")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    note = models.TextField(_("核验说明/驳回理由"), blank=True, default="")

    class Meta:
        verbose_name = _("事实")
        verbose_name_plural = _("事实")
        ordering = ["-date", "-pk"]
        constraints = [
            # one live fact per event: "800000" and "800000.00" are one contract
            models.UniqueConstraint(
                fields=["organisation", "digest"],
                condition=Q(state__in=["declared", "verified"]),
                name="fact_one_live_per_digest",
            ),
            models.CheckConstraint(condition=Q(state__in=[s.value for s in FactState]), name="fact_state_known"),
        ]
        indexes = [models.Index(fields=["organisation", "state"], name="fact_org_state")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.date}"

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES


class Contact(models.Model):
    """A contact person of the organisation (name, role and phone, shown masked in lists)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("联系人"), max_length=64)
    role = models.CharField(_("职务"), max_length=64, blank=True, default="")
    phone = models.CharField(_("手机号码"), max_length=11, validators=[phone_validator])
    email = models.EmailField(_("电子邮箱"), blank=True, default="")

    audit_masked_fields = ("phone",)

    class Meta:
        verbose_name = _("联系人")
        verbose_name_plural = _("联系人")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ImportState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class DataImport(models.Model):
    """One department list uploaded by an officer (Excel or CSV) with its column mapping. The file's
    SHA-256 with the mapping is the import's key: a re-import of the same file creates nothing."""

    event_type = models.CharField(_("事实类型"), max_length=64)
    mapping = models.JSONField(_("列对应关系"), default=dict)
    constants = models.JSONField(_("固定取值"), default=dict)
    source = models.CharField(_("数据来源(部门与名单)"), max_length=200)
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="imports")
    key = models.CharField(_("导入键"), max_length=64, unique=True)
    state = models.CharField(_("状态"), max_length=16, choices=ImportState.choices, default=ImportState.QUEUED)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增事实"), default=0)
    existing_count = models.PositiveIntegerField(_("已存在"), default=0)
    problems = models.JSONField(_("问题行"), default=list)  # [{"row": 3, "column": "统一社会信用代码", "message": ...}]
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("部门数据导入")
        verbose_name_plural = _("部门数据导入")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.source


class Subscription(models.Model):
    """An organisation's wish to be told when a measure it may qualify for is added or changes,
    for some categories and/or valleys (empty lists mean all)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="subscription")
    categories = models.JSONField(_("关注的政策类别"), default=list, blank=True)
    valleys = models.JSONField(_("关注的晋创谷"), default=list, blank=True)
    catalog_digest = models.CharField(_("上次告知时的政策目录版本"), max_length=64, blank=True, default="")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("政策订阅")
        verbose_name_plural = _("政策订阅")

    def __str__(self) -> str:
        return str(self.organisation)


class CatalogPublication(models.Model):
    """One version of the policy catalog as published (``manage.py catalog_publish``): its digest, and the
    measures that were added or changed in it (their fingerprints point here)."""

    digest = models.CharField(_("政策目录版本"), max_length=64, unique=True)
    changed = models.JSONField(_("新增或变更的措施"), default=list)  # measure ids
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政策目录发布")
        verbose_name_plural = _("政策目录发布")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.digest[:12]


class MeasureFingerprint(models.Model):
    """The last published form of one measure (a SHA-256 of its text, parameters, rules and caps): a
    subscription is told about the measures whose fingerprint changed after the version it last saw."""

    measure_id = models.CharField(_("措施"), max_length=64, unique=True)
    fingerprint = models.CharField(_("措施指纹"), max_length=64)
    catalog_digest = models.CharField(_("变更时的政策目录版本"), max_length=64)
    publication = models.ForeignKey(CatalogPublication, on_delete=models.PROTECT, related_name="fingerprints")
    category = models.CharField(_("政策类别"), max_length=64)
    valley = models.CharField(_("晋创谷"), max_length=16)

    class Meta:
        verbose_name = _("措施指纹")
        verbose_name_plural = _("措施指纹")
        ordering = ["measure_id"]

    def __str__(self) -> str:
        return self.measure_id
