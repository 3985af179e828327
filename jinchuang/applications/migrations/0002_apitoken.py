"""``ApiToken`` moves from the former ``applications_api`` app into ``applications``.

The model keeps its table, ``applications_api_apitoken`` (``Meta.db_table``). The state gets the model
(``SeparateDatabaseAndState``); the table is created only when it is missing:

- a fresh database (CI, ``make run``, tests) never ran ``applications_api.0001``, which no longer
  exists, so the table is created here;
- a database that did run it already has the table with the same columns, and it is left untouched
  (its old ``django_migrations`` row for ``applications_api`` is ignored by Django; stale content
  types go with ``manage.py remove_stale_contenttypes``).

Reversing drops the table (the model no longer exists before this migration).
"""

import django.db.models.deletion
from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TABLE = "applications_api_apitoken"


def create_table_if_missing(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if TABLE not in schema_editor.connection.introspection.table_names():
        schema_editor.create_model(apps.get_model("applications", "ApiToken"))


def drop_table(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.delete_model(apps.get_model("applications", "ApiToken"))


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(blank=True, default="", max_length=100, verbose_name="用途")),
                        (
                            "prefix",
                            models.CharField(
                                help_text="令牌的前几位, 用于辨认; 不足以登录", max_length=12, verbose_name="令牌前缀"
                            ),
                        ),
                        ("token_hash", models.CharField(max_length=64, unique=True, verbose_name="SHA-256 摘要")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                        ("last_used_at", models.DateTimeField(blank=True, null=True, verbose_name="最近使用")),
                        ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="吊销时间")),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="api_tokens",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="用户",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "API 令牌",
                        "verbose_name_plural": "API 令牌",
                        "ordering": ["-created_at", "-id"],
                        "db_table": TABLE,
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(create_table_if_missing, drop_table),
    ]
