"""申报 applications, their materials, review, 公示, awards, instalments, quotas and notifications.

Money is integer fen (``BigIntegerField``); times are timezone-aware. Writes go through
``services.py``; the models hold data and the constraints the database itself enforces.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.models import Organisation
from jinchuang.applications.workflow import STATE_CHOICES, State
from jinchuang.policy.money import format_fen

USER = settings.AUTH_USER_MODEL


class Application(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("申报机构"), on_delete=models.PROTECT, related_name="applications"
    )
    measure_id = models.CharField(_("措施"), max_length=64, db_index=True)
    document_id = models.CharField(_("政策文件"), max_length=32, blank=True, default="")
    valley = models.CharField(_("晋创谷"), max_length=8, blank=True, default="")  # engine name, e.g. 晋城
    title = models.CharField(_("措施名称"), max_length=200, blank=True, default="")
    citation = models.CharField(_("条款"), max_length=200, blank=True, default="")
    clause_text = models.TextField(_("条款原文"), blank=True, default="")
    lead_department = models.CharField(_("牵头部门"), max_length=100, blank=True, default="", db_index=True)
    expert_review_required = models.BooleanField(_("需专家评审"), default=False)
    case_data = models.JSONField(_("申报事实(案例)"), default=dict)
    result = models.JSONField(_("计算结果快照"), default=dict, blank=True)
    engine_max_fen = models.BigIntegerField(_("计算上限(分)"), default=0)
    review_min_fen = models.BigIntegerField(_("评审区间下限(分)"), null=True, blank=True)
    review_max_fen = models.BigIntegerField(_("评审区间上限(分)"), null=True, blank=True)
    schedule = models.JSONField(_("分期计划(计算)"), default=list, blank=True)
    matters = models.JSONField(_("事项明细"), default=list, blank=True)
    catalog_digest = models.CharField(
        _("政策目录版本"), max_length=64, blank=True, default="", help_text=_("计算所依据的政策目录内容摘要 (SHA-256)")
    )
    state = models.CharField(_("状态"), max_length=32, choices=STATE_CHOICES, default=State.DRAFT, db_index=True)
    idempotency_key = models.CharField(_("幂等键"), max_length=64)
    created_by = models.ForeignKey(USER, verbose_name=_("申报人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    step_started_at = models.DateTimeField(_("本环节开始"), null=True, blank=True)
    step_deadline = models.DateTimeField(_("本环节时限"), null=True, blank=True, db_index=True)
    responsible_user = models.ForeignKey(
        USER, verbose_name=_("责任人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible_department = models.CharField(_("责任部门"), max_length=100, blank=True, default="")
    escalated_at = models.DateTimeField(_("超时督办时间"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        USER, verbose_name=_("督办对象"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_amount_fen = models.BigIntegerField(_("核定金额(分)"), null=True, blank=True)
    reason_below_max = models.TextField(_("低于上限的理由"), blank=True, default="")
    message = models.TextField(_("退回/不予支持说明"), blank=True, default="")
    unmet_condition = models.TextField(_("未满足的条件或条款"), blank=True, default="")
    #: the facts of the organisation's record the engine's amount rests on (review on facts; approval
    #: is refused while one of them is not verified)
    facts = models.ManyToManyField(
        "records.Fact", verbose_name=_("依据的事实"), related_name="applications", blank=True
    )
    #: 申报编号, allocated at submission (numbering.py), e.g. JC-2026-000123; empty for a draft
    number = models.CharField(_("申报编号"), max_length=20, blank=True, default="")
    #: the 查询码 for 进度查询, keyed by the number (progress.py); the code itself is never stored here
    progress_code_hash = models.CharField(_("查询码摘要"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "idempotency_key"], name="application_idempotency_unique"),
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="application_number_unique"),
            models.CheckConstraint(condition=Q(engine_max_fen__gte=0), name="application_engine_max_nonnegative"),
            models.CheckConstraint(
                condition=Q(approved_amount_fen__isnull=True)
                | (Q(approved_amount_fen__gt=0) & Q(approved_amount_fen__lte=F("engine_max_fen"))),
                name="application_approved_within_engine_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.measure_id}#{self.pk}"


class Material(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    stored_name = models.CharField(_("存储文件名"), max_length=100, unique=True)  # materials/<uuid>.<ext>
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("类型"), max_length=32)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ExpertScore(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="expert_scores")
    expert = models.ForeignKey(USER, verbose_name=_("评审专家"), on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("指派时间"), auto_now_add=True)
    score = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    recommended_amount_fen = models.BigIntegerField(_("建议金额(分)"), null=True, blank=True)
    comment = models.TextField(_("评审意见"), blank=True, default="")
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)
    #: the rubric (rubric.py, keyed by the measure's category) and the points given per criterion; the
    #: score above is their sum, computed by review.expert_score_record
    rubric = models.CharField(_("评分细则"), max_length=64, blank=True, default="")
    criteria_scores = models.JSONField(_("分项得分"), default=dict, blank=True)
    #: 回避 declaration: declared free of conflict (may score), or a conflict declared (回避: off the case)
    declared_at = models.DateTimeField(_("回避声明时间"), null=True, blank=True)
    recused_at = models.DateTimeField(_("回避时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家评分")
        verbose_name_plural = _("专家评分")
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="expert_score_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100), name="expert_score_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(recommended_amount_fen__isnull=True) | Q(recommended_amount_fen__gte=0),
                name="expert_recommended_nonnegative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.expert_id}: {self.score}"


class PublicNotice(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="public_notice")
    starts_at = models.DateTimeField(_("公示开始"))
    ends_at = models.DateTimeField(_("公示结束"))

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="notice_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"


class ObjectionResolution(models.TextChoices):
    OPEN = "", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(models.Model):
    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="objections")
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    #: an objection without an account: the objector's name and the phone verified by a one-time code
    objector_name = models.CharField(_("异议人姓名"), max_length=64, blank=True, default="")
    objector_phone = models.CharField(_("异议人手机(已验证)"), max_length=11, blank=True, default="")
    text = models.TextField(_("异议内容"))
    filed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    resolution = models.CharField(
        _("处理结果"), max_length=16, choices=ObjectionResolution.choices, blank=True, default=""
    )
    response = models.TextField(_("答复"), blank=True, default="")
    resolved_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["filed_at", "id"]

    audit_masked_fields = ("objector_phone",)

    def __str__(self) -> str:
        return f"{self.notice_id}: {self.text[:20]}"


class Award(models.Model):
    """The approved amount of one application (支持资金)."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="awards")
    measure_id = models.CharField(_("措施"), max_length=64, db_index=True)
    lead_department = models.CharField(_("牵头部门"), max_length=100, db_index=True)
    valley = models.CharField(_("晋创谷"), max_length=8, db_index=True)
    amount_fen = models.BigIntegerField(_("核定金额(分)"))
    approved_at = models.DateTimeField(_("审定时间"))
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("支持资金")
        verbose_name_plural = _("支持资金")
        ordering = ["-approved_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="award_amount_positive")]

    def __str__(self) -> str:
        return f"{self.measure_id} {format_fen(self.amount_fen)}"


class Instalment(models.Model):
    """One part of an award's payment (分期拨付)."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="instalments")
    sequence = models.PositiveSmallIntegerField(_("期次"))
    due_year = models.PositiveSmallIntegerField(_("应付年度"), db_index=True)
    amount_fen = models.BigIntegerField(_("金额(分)"))
    paid_on = models.DateField(_("拨付日期"), null=True, blank=True)
    voucher_no = models.CharField(_("凭证号"), max_length=64, blank=True, default="")
    paid_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("拨付分期")
        verbose_name_plural = _("拨付分期")
        ordering = ["award_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["award", "sequence"], name="instalment_sequence_unique"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="instalment_amount_positive"),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | ~Q(voucher_no=""), name="instalment_paid_has_voucher"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_id}#{self.sequence} {self.due_year}"


class Quota(models.Model):
    """What an organisation may still receive under one cap. ``used_fen <= limit_fen`` is a CHECK.

    ``key`` names the cap: ``<measure>:measure:per_entity_per_year:<year>``,
    ``<measure>:measure:cumulative_per_entity``, ``<measure>:<rule>:per_entity_per_year:<year>``,
    ``award:<application id>`` (the engine's maximum for that case) or
    ``matter:<overlap group or measure>:<event digest>`` (就高不重复 for one matter).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="quotas")
    key = models.CharField(_("上限键"), max_length=200)
    label = models.CharField(_("上限名称"), max_length=200, blank=True, default="")
    limit_fen = models.BigIntegerField(_("上限(分)"))
    used_fen = models.BigIntegerField(_("已用(分)"), default=0)

    class Meta:
        verbose_name = _("额度")
        verbose_name_plural = _("额度")
        ordering = ["organisation_id", "key"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="quota_unique_key"),
            models.CheckConstraint(condition=Q(used_fen__gte=0), name="quota_used_nonnegative"),
            models.CheckConstraint(condition=Q(used_fen__lte=F("limit_fen")), name="quota_used_within_limit"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.key} {self.used_fen}/{self.limit_fen}"


class QuotaUse(models.Model):
    """How much of a quota an award took, so a cancelled award gives back exactly that."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="quota_uses")
    quota = models.ForeignKey(Quota, on_delete=models.PROTECT, related_name="uses")
    amount_fen = models.BigIntegerField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["award", "quota"], name="quota_use_unique")]

    def __str__(self) -> str:
        return f"{self.award_id}->{self.quota_id}: {self.amount_fen}"


class Notification(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("内容"), max_length=500)
    link = models.CharField(_("链接"), max_length=300, blank=True, default="")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.text[:40]


class OfferState(models.TextChoices):
    OPEN = "open", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已放弃")


class Offer(models.Model):
    """免申即享: a prefilled application the platform offers from facts it already holds."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="offers")
    measure_id = models.CharField(_("措施"), max_length=64)
    title = models.CharField(_("措施名称"), max_length=200, blank=True, default="")
    case_data = models.JSONField(_("事实"), default=dict)
    engine_max_fen = models.BigIntegerField(_("计算金额(分)"), default=0)
    state = models.CharField(_("状态"), max_length=16, choices=OfferState.choices, default=OfferState.OPEN)
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="offer"
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    #: the measure and the digests of the verified facts the offer rests on: the same measure is never
    #: offered twice on the same facts
    basis_key = models.CharField(_("依据键"), max_length=64, blank=True, default="")
    facts = models.ManyToManyField("records.Fact", verbose_name=_("依据的事实"), related_name="offers", blank=True)

    class Meta:
        verbose_name = _("免申即享")
        verbose_name_plural = _("免申即享")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "measure_id"], condition=Q(state="open"), name="offer_one_open_per_measure"
            ),
            models.UniqueConstraint(
                fields=["organisation", "basis_key"], condition=~Q(basis_key=""), name="offer_once_per_basis"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.measure_id} ({self.state})"


class ServiceAgentAssignment(models.Model):
    """The 服务专员 serving an organisation (one-to-one service)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="service_agent_assignment")
    agent = models.ForeignKey(USER, verbose_name=_("服务专员"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("服务专员分配")
        verbose_name_plural = _("服务专员分配")

    def __str__(self) -> str:
        return f"{self.organisation_id} ← {self.agent_id}"


class DepartmentHead(models.Model):
    """The head of a department: overdue cases of the department are escalated to them."""

    department = models.CharField(_("部门"), max_length=100, unique=True)  # normalised, see departments.py
    user = models.ForeignKey(USER, verbose_name=_("负责人"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("部门负责人")
        verbose_name_plural = _("部门负责人")

    def __str__(self) -> str:
        return self.department


class ApiToken(models.Model):
    """An API token: only a SHA-256 hash of the token is stored; the token itself is shown once.

    The table keeps the name it had when tokens lived in the ``applications_api`` app (see migration 0002).
    """

    user = models.ForeignKey(USER, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100, blank=True, default="")
    prefix = models.CharField(_("令牌前缀"), max_length=12, help_text=_("令牌的前几位, 用于辨认; 不足以登录"))
    token_hash = models.CharField(_("SHA-256 摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        db_table = "applications_api_apitoken"
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApplicationNumberCounter(models.Model):
    """The last sequence of 申报编号 given out per valley and year (numbering.number_allocate)."""

    valley = models.CharField(_("晋创谷"), max_length=8)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("申报编号序号")
        verbose_name_plural = _("申报编号序号")
        constraints = [models.UniqueConstraint(fields=["valley", "year"], name="number_counter_unique")]

    def __str__(self) -> str:
        return f"{self.valley} {self.year}: {self.last}"


class Receipt(models.Model):
    """The 申报回执 (PDF) issued at submission. It carries the 查询码, so only the organisation's own
    members may download it."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="receipt")
    pdf = models.BinaryField(_("回执 PDF"))
    issued_at = models.DateTimeField(_("出具时间"))

    class Meta:
        verbose_name = _("申报回执")
        verbose_name_plural = _("申报回执")

    def __str__(self) -> str:
        return f"{self.application_id} ({self.issued_at:%Y-%m-%d})"


class ProgressQueryFailure(models.Model):
    """One wrong 进度查询 (number + code): counted per IP and per number to limit guessing."""

    ip = models.CharField(_("IP 地址"), max_length=45, db_index=True)
    number = models.CharField(_("申报编号"), max_length=40, db_index=True)
    at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        verbose_name = _("进度查询失败记录")
        verbose_name_plural = _("进度查询失败记录")

    def __str__(self) -> str:
        return f"{self.ip} {self.number} {self.at:%Y-%m-%d %H:%M}"
