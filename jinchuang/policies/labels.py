"""Chinese labels of the comparison categories (catalog authoring guide §6), translated for pages.

The table itself lives in the engine (``jinchuang.policy.categories``) so that the record, below the
business areas, reads the same labels."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from jinchuang.policy.categories import CATEGORY_LABELS as CHINESE_LABELS

CATEGORY_LABELS: dict[str, StrOrPromise] = {code: _(label) for code, label in CHINESE_LABELS.items()}


def category_label(category: str) -> StrOrPromise:
    return CATEGORY_LABELS.get(category, category)
