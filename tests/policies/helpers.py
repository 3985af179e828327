"""Helpers for the policy library tests: what a user reads on a page, and which catalog files exist."""

from __future__ import annotations

import re
from html import unescape

import pytest

from jinchuang.policy.catalog import CATALOG_DIR


def visible_text(html: str) -> str:
    """The page text as a reader sees it: no tags, no scripts, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def needs_documents(*doc_ids: str) -> pytest.MarkDecorator:
    missing = [d for d in doc_ids if not (CATALOG_DIR / f"{d}.yaml").exists()]
    return pytest.mark.skipif(bool(missing), reason=f"catalog file(s) not written yet: {missing}")
