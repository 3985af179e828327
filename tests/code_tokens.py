"""What a reader must never see: code-like tokens in page text (issue 10, "Plain language").

``code_tokens(text)`` returns the offending tokens of a visible text (tags, scripts and styles already
stripped by ``page_text``).  The patterns are precise so that ordinary page text does not trip them:
URLs and e-mail addresses are removed first; dates (2024-09-12), 统一社会信用代码 (18 upper-case
characters), 文号 (同政办规〔2024〕4号) and 申报编号 (JC-2026-000123, upper case) match none of them.
"""

from __future__ import annotations

import re
from html import unescape

#: (name, pattern) — each pattern finds one kind of code in running text
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # a field path with an index: events[0].amount, applicant.kind
    ("field path", re.compile(r"(?<![A-Za-z0-9_])[a-z_]+\[\d+\](?:\.[a-z_]+)*")),
    ("field path", re.compile(r"(?<![A-Za-z0-9_])(?:events|applicant|prior_grants|case)\.[a-z_]+(?![A-Za-z0-9_])")),
    # snake_case identifiers: tech_transaction, platform_approved, as_of, stacks_on_provincial
    ("identifier", re.compile(r"(?<![A-Za-z0-9_/.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_/-])")),
    # comparison operators of the expression language
    ("operator", re.compile(r"==|!=|>=|<=")),
    # a formula: amount * 0.20, 0.2 * amount, rate * amount, min(
    ("formula", re.compile(r"(?<![A-Za-z0-9_])[a-z][a-z_]*\s*\*\s*(?:[0-9][0-9.]*|[a-z][a-z_]*)(?![A-Za-z0-9_])")),
    ("formula", re.compile(r"(?<![A-Za-z0-9_])[a-z][a-z_]*\s+/\s+(?:[0-9][0-9.]*|[a-z][a-z_]*)(?![A-Za-z0-9_])")),
    ("formula", re.compile(r"(?<![A-Za-z0-9_.])[0-9][0-9.]*\s*\*\s*[a-z][a-z_]*(?![A-Za-z0-9_])")),
    ("formula", re.compile(r"(?<![A-Za-z0-9_])(?:min|max)\(")),
    # measure ids: dt-15, jc-8, lf-cx-5, jz-7-postdoc-new
    ("measure id", re.compile(r"(?<![A-Za-z0-9-])(?:jc|jz|lf|yq|dt)-[0-9a-z]+(?:-[0-9a-z]+)*(?![A-Za-z0-9-])")),
    # document / interpretation ids: tongfa-2023-5
    ("document id", re.compile(r"(?<![A-Za-z0-9-])[a-z]+-\d{4}-\d+(?![A-Za-z0-9-])")),
)

_URL = re.compile(r"https?://\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+")


def code_tokens(text: str) -> list[tuple[str, str]]:
    """The code-like tokens of a visible text as (kind, token) pairs, in order."""
    text = _URL.sub(" ", text)
    found: list[tuple[int, str, str]] = []
    for kind, pattern in PATTERNS:
        found.extend((m.start(), kind, m.group(0)) for m in pattern.finditer(text))
    return [(kind, token) for _pos, kind, token in sorted(found)]


def page_text(html: str) -> str:
    """The text a reader sees: no tags, no scripts, no styles, no comments; entities decoded."""
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    html = re.sub(r"<(script|style|template)\b.*?</\1\s*>", " ", html, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", unescape(text)).strip()


def context_of(text: str, token: str, width: int = 40) -> str:
    at = text.find(token)
    return text[max(0, at - width) : at + len(token) + width] if at >= 0 else token
