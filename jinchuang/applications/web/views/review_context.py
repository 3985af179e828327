"""What the review parts of the application page show: the expert's 回避 declaration and rubric form,
the officers' view of the scores (per criterion), and whether more experts may be added."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jinchuang.accounts.models import Role, User
from jinchuang.applications.models import Application, ExpertScore
from jinchuang.applications.permissions import in_scope, roles_of
from jinchuang.applications.review import RECUSAL_RULE, application_rubric
from jinchuang.applications.rubric import rubric_named
from jinchuang.applications.selectors import experts_available
from jinchuang.applications.web.forms import fen_to_yuan_text
from jinchuang.applications.workflow import Scope, State


def scoring_rows(application: Application, values: dict[str, str], errors: dict[str, str]) -> list[dict[str, Any]]:
    """The rubric's criteria as form rows: label, most points, the typed (or stored) value and its error."""
    return [
        {
            "field": f"criterion_{c.key}",
            "label": c.label,
            "weight": c.weight,
            "value": values.get(f"criterion_{c.key}", ""),
            "error": errors.get(f"criterion_{c.key}", ""),
        }
        for c in application_rubric(application).criteria
    ]


def score_breakdown(row: ExpertScore) -> list[dict[str, Any]]:
    """An expert's points per criterion of the rubric they scored on (for the officers)."""
    if not row.rubric:
        return []
    return [
        {"label": c.label, "points": row.criteria_scores.get(c.key), "weight": c.weight}
        for c in rubric_named(row.rubric).criteria
    ]


def review_context(application: Application, user: User, my_score: ExpertScore | None) -> dict[str, Any]:
    rubric = application_rubric(application)
    stored = {f"criterion_{k}": str(v) for k, v in (my_score.criteria_scores if my_score else {}).items()}
    if my_score is not None and my_score.recommended_amount_fen is not None:
        stored["recommended"] = fen_to_yuan_text(my_score.recommended_amount_fen)
        stored["comment"] = my_score.comment
    held = roles_of(user)
    may_add = application.state == State.EXPERT_REVIEW and (
        Role.ADMIN in held
        or (Role.REVIEWER in held and in_scope(user, Role.REVIEWER, Scope.LEAD_DEPARTMENT, application))
    )
    assigned = set(application.expert_scores.values_list("expert_id", flat=True))
    return {
        "rubric": rubric,
        "recusal_rule": RECUSAL_RULE,
        "score_rows": scoring_rows(application, stored, {}),
        "score_values": stored,
        "score_errors": {},
        "declare_errors": {},
        "can_add_experts": may_add,
        "experts_to_add": [e for e in experts_available() if e.pk not in assigned] if may_add else [],
        "add_experts_errors": {},
        "answer_failed": None,
        "pay_failed": None,
        "detail_url": reverse("applications:detail", args=[application.pk]),
        "is_officer": user.organisation_id != application.organisation_id,
        "score_table": [
            {"row": s, "breakdown": score_breakdown(s)}
            for s in application.expert_scores.select_related("expert").order_by("assigned_at", "pk")
        ],
    }
