"""One valley vocabulary: organisations store the engine's valley code (晋城 …), not the pinyin (jincheng …).

The kinds of organisation already used the engine's codes (enterprise …); their choices gain 个人 (person),
which the engine's vocabulary has. The reverse turns the codes back into pinyin.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# The codes as they were stored before this migration, frozen here (migrations must not import the
# living vocabulary: it may change after them).
PINYIN_TO_CODE = {
    "jincheng": "晋城",
    "jinzhong": "晋中",
    "linfen": "临汾",
    "yangquan": "阳泉",
    "datong": "大同",
}


def _convert(apps: StateApps, mapping: dict[str, str]) -> None:
    organisation = apps.get_model("accounts", "Organisation")
    for old, new in mapping.items():
        organisation.objects.filter(valley=old).update(valley=new)


def pinyin_to_code(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _convert(apps, PINYIN_TO_CODE)


def code_to_pinyin(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _convert(apps, {new: old for old, new in PINYIN_TO_CODE.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organisation",
            name="kind",
            field=models.CharField(
                choices=[
                    ("enterprise", "企业"),
                    ("research_team", "科创团队"),
                    ("university", "高校/科研院所"),
                    ("incubator_operator", "孵化载体运营单位"),
                    ("intermediary", "中介/技术转移服务机构"),
                    ("financial_institution", "金融机构"),
                    ("investment_fund", "投资基金"),
                    ("government", "政府部门"),
                    ("person", "个人"),
                ],
                max_length=32,
                verbose_name="类型",
            ),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="valley",
            field=models.CharField(
                choices=[("晋城", "晋城"), ("晋中", "晋中"), ("临汾", "临汾"), ("阳泉", "阳泉"), ("大同", "大同")],
                max_length=16,
                verbose_name="所在晋创谷",
            ),
        ),
        migrations.RunPython(pinyin_to_code, code_to_pinyin),
    ]
