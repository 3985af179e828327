"""The expert's page steps in tests: the 回避 declaration, then the rubric form's fields."""

from __future__ import annotations

from django.test import Client

from jinchuang.applications.models import Application
from jinchuang.applications.review import application_rubric


def declare_no_conflict(client: Client, application: Application) -> None:
    response = client.post(f"/applications/{application.pk}/declare/", {"no_conflict": "1"})
    assert response.status_code == 302, response.content.decode()[:500]


def rubric_post(application: Application, *, recommended: str, comment: str = "", full: bool = False) -> dict[str, str]:
    """The scoring form's fields: each criterion at 4/5 of its weight (or all of it with ``full``)."""
    data = {
        f"criterion_{c.key}": str(c.weight if full else c.weight * 4 // 5)
        for c in application_rubric(application).criteria
    }
    data.update(recommended=recommended, comment=comment)
    return data
