"""What a reader must never see: code-like tokens in page text (issue 10, "Plain language").

``code_tokens(text)`` returns the offending tokens of a visible text (tags, scripts and styles already
stripped by ``page_text``).  The patterns are precise so that ordinary page text does not trip them:
URLs and e-mail addresses are removed first; dates (2024-09-12), 统一社会信用代码 (18 upper-case
characters), 文号 (同政办规〔2024〕4号) and 申报编号 (JC-2026-000123, upper case) match none of them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

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


class _Text(HTMLParser):
    """Collects the text nodes a reader sees; attribute values, scripts, styles and comments are not text."""

    SKIP = frozenset({"script", "style", "template", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in ("input", "textarea") and self.skipping == 0:
            # what the user sees in a field: its value or placeholder
            for name, value in attrs:
                if name in ("placeholder",) and value:
                    self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def page_text(html: str) -> str:
    """The text a reader sees: text nodes and field placeholders; no tags, attributes, scripts, styles, comments."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


def context_of(text: str, token: str, width: int = 40) -> str:
    at = text.find(token)
    return text[max(0, at - width) : at + len(token) + width] if at >= 0 else token
