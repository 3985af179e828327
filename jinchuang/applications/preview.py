"""The preview box of the application form: the submission's own engine call on the facts as typed.

``application_preview`` runs ``engine.engine_evaluate`` — exactly what ``application_submit`` runs
(identity and 入驻日期 from the record, the typed events as the record's facts, platform awards netted)
— inside a transaction that is always rolled back, so the preview can never disagree with the
submission and nothing it touched (declared facts, their audit rows, jobs) is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinchuang.accounts.models import Organisation, User
from jinchuang.applications.engine import Evaluation, engine_evaluate
from jinchuang.policy.case import CaseError
from jinchuang.policy.results import MeasureResult


class _RollBack(Exception):
    def __init__(self, evaluation: Evaluation) -> None:
        super().__init__("preview")
        self.evaluation = evaluation


@dataclass(frozen=True)
class Preview:
    result: MeasureResult | None
    problem: ValidationError | CaseError | None = None


def application_preview(
    *, organisation: Organisation, measure_id: str, case_data: dict[str, Any], actor: User
) -> Preview:
    """What submitting ``case_data`` now would compute, or the error it would be refused with."""
    try:
        with transaction.atomic():
            evaluation = engine_evaluate(organisation, measure_id, case_data, as_of=timezone.localdate(), actor=actor)
            raise _RollBack(evaluation)
    except _RollBack as done:
        return Preview(done.evaluation.result)
    except (ValidationError, CaseError) as exc:
        return Preview(None, exc)
    except PermissionDenied as exc:  # not one who may apply for this organisation: the preview says so
        return Preview(None, ValidationError(str(exc) or _("您不能为该机构申报")))
