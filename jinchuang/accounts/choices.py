"""Django choices derived from the engine's one vocabulary (``jinchuang.policy.vocabulary``).

Not a second enum: the stored code is the engine's value (``晋城``, ``enterprise``), the label is the
Chinese label through gettext, so an English page shows "Jincheng" and still stores ``晋城``.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from jinchuang.policy.vocabulary import ORG_KIND_LABELS, VALLEY_LABELS, OrgKind, Valley


def valley_choices() -> list[tuple[str, Promise]]:
    """(code, translated label) for each valley, in the vocabulary's order."""
    return [(valley.value, gettext_lazy(VALLEY_LABELS[valley])) for valley in Valley]


def org_kind_choices() -> list[tuple[str, Promise]]:
    """(code, translated label) for each kind of organisation, in the vocabulary's order."""
    return [(kind.value, gettext_lazy(ORG_KIND_LABELS[kind])) for kind in OrgKind]


def valley_label(code: str) -> str:
    """The valley's name in the active language ("晋城" / "Jincheng"); an unknown code is shown as is."""
    try:
        return gettext(VALLEY_LABELS[Valley(code)])
    except ValueError:
        return code


def org_kind_label(code: str) -> str:
    """The kind's label in the active language ("企业" / "Enterprise"); an unknown code is shown as is."""
    try:
        return gettext(ORG_KIND_LABELS[OrgKind(code)])
    except ValueError:
        return code
