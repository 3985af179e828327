# Written for issue 10 (the officers' journey): the expert rubric and 回避, objections without an account.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_application_facts_offer_basis_key_offer_facts_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="expertscore",
            name="rubric",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="评分细则"),
        ),
        migrations.AddField(
            model_name="expertscore",
            name="criteria_scores",
            field=models.JSONField(blank=True, default=dict, verbose_name="分项得分"),
        ),
        migrations.AddField(
            model_name="expertscore",
            name="declared_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="回避声明时间"),
        ),
        migrations.AddField(
            model_name="expertscore",
            name="recused_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="回避时间"),
        ),
        migrations.AddField(
            model_name="objection",
            name="objector_name",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="异议人姓名"),
        ),
        migrations.AddField(
            model_name="objection",
            name="objector_phone",
            field=models.CharField(blank=True, default="", max_length=11, verbose_name="异议人手机(已验证)"),
        ),
    ]
