"""One definition each: a tree check of jinchuang/**/*.py (migrations excluded).

Each row of RULES is a concept, a regex that finds a definition of it, and the one file allowed
to hold it.  Add a row for a new concept.  KNOWN_COPIES lists copies not yet replaced (file → count
of hits): the check fails when a copy is added anywhere, and also when a known copy is removed
without its entry (so the list only shrinks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "jinchuang"


@dataclass(frozen=True)
class Rule:
    concept: str
    pattern: re.Pattern[str]
    allowed: str  # the one file, relative to the repository root


RULES = (
    # thousands separators, two-decimal formats (",.2f" and ".2f") and fen → yuan by dividing by 100
    Rule(
        "money formatting",
        re.compile(r",\.2f|:\.2f|format\([^()]*,\s*['\"],['\"]\)|:,\}|/\s*100\b(?!\.)"),
        "jinchuang/policy/money.py",
    ),
    Rule("citation formatting", re.compile(r"第\{[^{}]*\}条"), "jinchuang/policy/citation.py"),
    Rule(
        "audit action names",
        re.compile(r"\baction\s*=\s*f?['\"][a-z_]+\.[a-z_{}.]+['\"]|^\s*ACTION_[A-Z_]+\s*=\s*['\"]", re.M),
        "jinchuang/audit/actions.py",
    ),
    # rules sharing a cap_group share the first rule's caps: resolved once, in the plan
    Rule(
        "cap-group resolution", re.compile(r"cap_group\s+or\b|setdefault\([^()]*cap_group"), "jinchuang/policy/plan.py"
    ),
    # splitting an amount into shares (instalments, an approval over items), and recovering shares
    Rule(
        "instalment splitting",
        re.compile(r"limit_denominator|def\s+split_(?:fen|amount|shares|instalments)\w*\("),
        "jinchuang/policy/plan.py",
    ),
)

# Copies still to replace: none left (add none; a new concept's leftovers would be listed here).
KNOWN_COPIES: dict[tuple[str, str], int] = {}


def violations(rule: Rule, path: str, source: str) -> int:
    """How many definitions of the rule's concept ``source`` (the text of ``path``) holds outside its one file."""
    if path == rule.allowed:
        return 0
    return len(rule.pattern.findall(source))


def tree_violations() -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for file in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in file.parts:
            continue
        path = file.relative_to(ROOT).as_posix()
        source = file.read_text(encoding="utf-8")
        for rule in RULES:
            n = violations(rule, path, source)
            if n:
                found[(rule.concept, path)] = n
    return found


def test_one_definition_each() -> None:
    assert tree_violations() == KNOWN_COPIES


def test_the_checker_finds_a_copy_in_a_synthetic_source() -> None:
    money, citation, audit, cap_groups, splitting = RULES
    assert violations(cap_groups, "jinchuang/x.py", "key = rule.cap_group or rule.id") == 1
    assert violations(cap_groups, "jinchuang/x.py", "key = plan.rule(rule_id).cap_key") == 0
    assert violations(splitting, "jinchuang/x.py", "share = Fraction(w, t).limit_denominator(1000)") == 1
    assert violations(splitting, "jinchuang/x.py", "def split_fen(amount, weights):") == 1
    assert violations(splitting, "jinchuang/x.py", "parts = plan.split_fen(amount, shares)") == 0
    assert violations(money, "jinchuang/x.py", 'text = f"{amount:,.2f} 元"') == 1
    assert violations(money, "jinchuang/x.py", "text = format(amount, ',')") == 1
    assert violations(money, "jinchuang/policy/money.py", 'text = f"{amount:,.2f}"') == 0
    assert violations(money, "jinchuang/x.py", "text = money.format_yuan(amount)") == 0
    assert violations(money, "jinchuang/x.py", 'text = f"{fen / 100:.2f}"') == 2
    assert violations(money, "jinchuang/x.py", "yuan = Decimal(amount_fen) / 100") == 1
    assert violations(money, "jinchuang/x.py", "yuan = fen_to_yuan(amount_fen)") == 0
    assert violations(money, "jinchuang/x.py", "share = count / 1000") == 0
    assert violations(citation, "jinchuang/x.py", 'label = f"{wenhao} 第{clause}条"') == 1
    assert violations(citation, "jinchuang/x.py", "label = cite(wenhao, clause)") == 0
    assert violations(citation, "jinchuang/x.py", 'text = f"第{row.sequence}期"') == 0  # an instalment, not a clause
    assert violations(audit, "jinchuang/x.py", 'audit_record(actor=u, action="applications.offer_create")') == 1
    assert violations(audit, "jinchuang/x.py", 'audit_record(actor=u, action=f"applications.{name}")') == 1
    assert violations(audit, "jinchuang/x.py", 'ACTION_START = "simulations.run_start"') == 1
    assert violations(audit, "jinchuang/x.py", "audit_record(actor=u, action=AuditAction.OFFER_CREATE)") == 0
    assert violations(audit, "jinchuang/x.py", 'parser.add_argument("--all", action="store_true")') == 0
