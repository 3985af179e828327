"""The audit action registry covers every workflow transition."""

import pytest

from jinchuang.applications.workflow import TRANSITIONS
from jinchuang.audit.actions import AuditAction


def test_every_transition_has_a_registered_action() -> None:
    for transition in TRANSITIONS:
        assert AuditAction.transition(transition.name) == f"applications.{transition.name}"


def test_an_unregistered_transition_is_refused() -> None:
    with pytest.raises(ValueError):
        AuditAction.transition("teleport")


def test_every_name_is_domain_dot_verb_and_unique() -> None:
    values = [a.value for a in AuditAction]
    assert len(values) == len(set(values))
    assert all(v.count(".") == 1 and v.split(".")[0] and v.split(".")[1] for v in values)
