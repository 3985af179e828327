"""Organisations (机构) and users (用户) with their roles (角色)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.choices import org_kind_choices, valley_choices


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申报人")
    SERVICE_AGENT = "service_agent", _("服务专员")
    REVIEWER = "reviewer", _("部门审核员")
    EXPERT = "expert", _("评审专家")
    FINANCE = "finance", _("财务人员")
    POLICY_MAKER = "policy_maker", _("政策研究员")
    ADMIN = "admin", _("平台管理员")


unified_social_credit_code_format = RegexValidator(
    regex=r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
    message=_("统一社会信用代码应为18位（数字或大写字母，不含I、O、Z、S、V）。"),
)

#: GB 32100-2015: the 31 characters of the code and the weights of its first 17 positions
USCC_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first_17: str) -> str:
    """The check character (18th position) of a 统一社会信用代码 whose first 17 characters are given."""
    total = sum(USCC_CHARACTERS.index(c) * w for c, w in zip(first_17, USCC_WEIGHTS, strict=True))
    return USCC_CHARACTERS[(31 - total % 31) % 31]


def unified_social_credit_code_validator(value: str) -> None:
    """Format (18 characters of the code's alphabet) and check character (GB 32100-2015)."""
    unified_social_credit_code_format(value)
    if uscc_check_character(value[:17]) != value[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对第18位。"), code="uscc_check_character")


phone_validator = RegexValidator(regex=r"^1\d{10}$", message=_("请输入11位手机号码。"))


class Organisation(models.Model):
    name = models.CharField(_("名称"), max_length=200, unique=True)
    kind = models.CharField(_("类型"), max_length=32, choices=org_kind_choices())
    valley = models.CharField(_("所在晋创谷"), max_length=16, choices=valley_choices())
    settled_on = models.DateField(_("入驻日期"), null=True, blank=True)
    unified_social_credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        default="",
        validators=[unified_social_credit_code_validator],
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["valley", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unified_social_credit_code"],
                condition=~Q(unified_social_credit_code=""),
                name="organisation_uscc_unique_when_set",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def mask_phone(phone: str) -> str:
    """138****5678: keep the first three and last four digits of a phone number."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


class User(AbstractUser):
    """A person using the platform. Belongs to one organisation; may hold several roles."""

    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[phone_validator])
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属机构"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )

    # Fields whose values the audit log records masked (personal data).
    audit_masked_fields = ("phone",)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_full_name(self) -> str:
        return self.display_name or super().get_full_name() or self.username

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class UserRole(models.Model):
    """One role held by one user. A reviewer's role names the department they review for."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    department = models.CharField(_("所属部门"), max_length=100, blank=True, default="")
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("用户角色")
        verbose_name_plural = _("用户角色")
        ordering = ["user_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="user_role_unique"),
            models.CheckConstraint(
                condition=~Q(role=Role.REVIEWER) | ~Q(department=""),
                name="user_role_reviewer_has_department",
            ),
        ]

    def __str__(self) -> str:
        label = Role(self.role).label
        if not self.department:
            return str(label)
        return _("{role}（{department}）").format(role=label, department=self.department)


class SmsState(models.TextChoices):
    QUEUED = "queued", _("待发送")
    OUTBOX = "outbox", _("已写入发件箱(未接短信网关)")


class SmsMessage(models.Model):
    """The SMS outbox: every text message the platform sends (verification codes). No SMS gateway is
    connected: the only sender writes the message here and to the log (see ``accounts/sms.py``)."""

    phone = models.CharField(_("手机号码"), max_length=11, validators=[phone_validator])
    text = models.CharField(_("短信内容"), max_length=300)
    purpose = models.CharField(_("用途"), max_length=64, blank=True, default="")
    state = models.CharField(_("状态"), max_length=16, choices=SmsState.choices, default=SmsState.QUEUED)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    backend = models.CharField(_("发送方式"), max_length=32, blank=True, default="")

    audit_masked_fields = ("phone",)

    class Meta:
        verbose_name = _("短信发件箱")
        verbose_name_plural = _("短信发件箱")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{mask_phone(self.phone)} {self.created_at:%Y-%m-%d %H:%M}"


class PhoneVerification(models.Model):
    """One one-time code sent to a phone for one purpose: only its keyed hash is stored; it expires,
    counts wrong attempts and is used once (``accounts/verification.py``)."""

    phone = models.CharField(_("手机号码"), max_length=11, validators=[phone_validator])
    purpose = models.CharField(_("用途"), max_length=64)
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    created_at = models.DateTimeField(_("发送时间"), db_index=True)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)

    audit_masked_fields = ("phone",)

    class Meta:
        verbose_name = _("手机验证码")
        verbose_name_plural = _("手机验证码")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["phone", "purpose", "created_at"], name="verification_phone_idx")]

    def __str__(self) -> str:
        return f"{mask_phone(self.phone)} {self.purpose}"
