# Written for issue 10: the SMS outbox (no gateway connected) and one-time codes sent to a phone.

import django.core.validators
from django.db import migrations, models

PHONE = django.core.validators.RegexValidator(message="请输入11位手机号码。", regex="^1\\d{10}$")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_role_policy_maker"),
    ]

    operations = [
        migrations.CreateModel(
            name="SmsMessage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("phone", models.CharField(max_length=11, validators=[PHONE], verbose_name="手机号码")),
                ("text", models.CharField(max_length=300, verbose_name="短信内容")),
                ("purpose", models.CharField(blank=True, default="", max_length=64, verbose_name="用途")),
                (
                    "state",
                    models.CharField(
                        choices=[("queued", "待发送"), ("outbox", "已写入发件箱(未接短信网关)")],
                        default="queued",
                        max_length=16,
                        verbose_name="状态",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="发送时间")),
                ("backend", models.CharField(blank=True, default="", max_length=32, verbose_name="发送方式")),
            ],
            options={
                "verbose_name": "短信发件箱",
                "verbose_name_plural": "短信发件箱",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="PhoneVerification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("phone", models.CharField(max_length=11, validators=[PHONE], verbose_name="手机号码")),
                ("purpose", models.CharField(max_length=64, verbose_name="用途")),
                ("code_hash", models.CharField(max_length=64, verbose_name="验证码摘要")),
                ("created_at", models.DateTimeField(db_index=True, verbose_name="发送时间")),
                ("expires_at", models.DateTimeField(verbose_name="失效时间")),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="尝试次数")),
                ("used_at", models.DateTimeField(blank=True, null=True, verbose_name="使用时间")),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True, verbose_name="IP地址")),
            ],
            options={
                "verbose_name": "手机验证码",
                "verbose_name_plural": "手机验证码",
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(fields=["phone", "purpose", "created_at"], name="verification_phone_idx")
                ],
            },
        ),
    ]
