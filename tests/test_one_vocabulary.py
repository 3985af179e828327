"""One valley vocabulary and one organisation kind in the tree: both are defined in
jinchuang/policy/vocabulary.py and nowhere else.

A "definition" is what the old copies looked like: a class whose members are valley names or kind codes
(``class Valley(models.TextChoices): JINCHENG = "jincheng", _("晋城")``), a literal list/tuple/set/dict of
two or more valleys (``{"jincheng": Valley.JINCHENG, ...}``, ``["晋城", "晋中", ...]``) or of three or more
kind codes, a text that spells the valleys out (``"晋城、晋中、临汾、阳泉、大同"``), and in templates a
select whose options are written out valley by valley.  Migrations freeze old values on purpose and are
not looked at.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from jinchuang.policy.vocabulary import OrgKind, Valley

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "jinchuang"
HOME = "jinchuang/policy/vocabulary.py"

VALLEY_NAMES = frozenset(v.value for v in Valley)
VALLEY_PINYIN = frozenset({"jincheng", "jinzhong", "linfen", "yangquan", "datong"})
KIND_CODES = frozenset(k.value for k in OrgKind)

#: literals that name the five catalog documents (files jincheng.yaml …), not valleys
DOCUMENT_IDS_OK = {("jinchuang/policy/catalog.py", "DOCUMENT_IDS")}


def _text(node: ast.AST) -> str | None:
    """A string literal, also inside a marker call such as _("晋城") or gettext_noop("晋城")."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords:
        return _text(node.args[0])
    if isinstance(node, ast.Tuple) and node.elts:  # ("jincheng", _("晋城")) choices pairs
        return _text(node.elts[0])
    return None


def _members(node: ast.AST) -> list[str]:
    """The string members of a literal collection or of a class body."""
    if isinstance(node, ast.Dict):
        items = [k for k in node.keys if k is not None] + list(node.values)
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        items = list(node.elts)
    elif isinstance(node, ast.ClassDef):
        items = [s.value for s in node.body if isinstance(s, ast.Assign | ast.AnnAssign) and s.value is not None]
    else:
        return []
    return [t for t in map(_text, items) if t is not None]


def _assigned_name(tree: ast.Module, node: ast.AST) -> str | None:
    for stmt in ast.walk(tree):
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is node:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            return next((t.id for t in targets if isinstance(t, ast.Name)), None)
    return None


def vocabulary_definitions(source: str, path: str) -> list[str]:
    """Every place in ``source`` that defines (a part of) the valley or the kind vocabulary."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and (node.name == "Valley" or re.search(r"Kind", node.name)):
            members = set(_members(node))
            if node.name == "Valley" or members & KIND_CODES:
                found.append(f"{path}:{node.lineno} class {node.name}")
                continue
        members = set(_members(node))
        valleys = members & VALLEY_NAMES
        pinyin = members & VALLEY_PINYIN
        kinds = members & KIND_CODES
        if len(valleys) >= 2 or len(pinyin) >= 2:
            if (path, _assigned_name(tree, node)) in DOCUMENT_IDS_OK and not valleys:
                continue
            found.append(f"{path}:{getattr(node, 'lineno', 0)} valleys {sorted(valleys | pinyin)}")
        elif len(kinds) >= 3:
            found.append(f"{path}:{getattr(node, 'lineno', 0)} kinds {sorted(kinds)}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if sum(name in node.value for name in VALLEY_NAMES) >= 3:
                found.append(f"{path}:{node.lineno} text listing the valleys {node.value!r}")
    return found


def template_definitions(source: str, path: str) -> list[str]:
    options = re.findall(r"<option[^>]*>([^<]*)</option>", source)
    valleys = {o.strip() for o in options} & VALLEY_NAMES
    return [f"{path} options {sorted(valleys)}"] if len(valleys) >= 2 else []


def _tree() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for file in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in file.parts:
            continue
        path = file.relative_to(ROOT).as_posix()
        found[path] = vocabulary_definitions(file.read_text(encoding="utf-8"), path)
    for file in sorted(PACKAGE.rglob("*.html")):
        path = file.relative_to(ROOT).as_posix()
        found[path] = template_definitions(file.read_text(encoding="utf-8"), path)
    return found


def test_the_valley_and_the_kind_vocabularies_are_defined_once_in_vocabulary_py() -> None:
    found = _tree()
    elsewhere = [d for path, defs in found.items() if path != HOME for d in defs]
    assert elsewhere == [], "a second valley / organisation-kind vocabulary; use jinchuang.policy.vocabulary"
    home = found[HOME]
    assert [d for d in home if "class Valley" in d] == [f"{HOME}:{_line('class Valley(')} class Valley"]
    assert [d for d in home if "class " in d and "Kind" in d] == [f"{HOME}:{_line('class OrgKind(')} class OrgKind"]


def _line(prefix: str) -> int:
    lines = (ROOT / HOME).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(prefix))


# The checker itself, on the copies this test replaced: each must be found.

OLD_ACCOUNTS_MODELS = '''
class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    RESEARCH_TEAM = "research_team", _("科创团队")
    GOVERNMENT = "government", _("政府部门")


class Valley(models.TextChoices):
    JINCHENG = "jincheng", _("晋城")
    JINZHONG = "jinzhong", _("晋中")
'''

OLD_CASE_ALIASES = '''
VALLEY_ALIASES = {v.value: v for v in Valley} | {
    "jincheng": Valley.JINCHENG,
    "jinzhong": Valley.JINZHONG,
}


def parse_valley(value):
    raise ValueError(f"未知的创新驱动平台(谷) '{value}', 可选: 晋城、晋中、临汾、阳泉、大同")
'''


def test_checker_finds_a_second_enum_an_alias_table_and_a_spelled_out_list() -> None:
    models = vocabulary_definitions(OLD_ACCOUNTS_MODELS, "x.py")
    assert [d.split(" ", 1)[1] for d in models] == ["class OrganisationKind", "class Valley"]
    aliases = vocabulary_definitions(OLD_CASE_ALIASES, "y.py")
    assert any("valleys ['jincheng', 'jinzhong']" in d for d in aliases)
    assert any("text listing the valleys" in d for d in aliases)
    assert vocabulary_definitions('VALLEYS = ["晋城", "大同"]\n', "z.py")
    assert vocabulary_definitions('KINDS = ("enterprise", "university", "person")\n', "z.py")
    assert vocabulary_definitions('DOCUMENT_IDS = ("jincheng", "datong")\n', "jinchuang/policy/catalog.py") == []
    assert not vocabulary_definitions('label = "晋城"\nrow = ("晋城", 1)\n', "ok.py")


def test_checker_finds_a_select_written_out_valley_by_valley() -> None:
    old_ledger = "<select><option>—</option><option>晋城</option><option selected>晋中</option></select>"
    assert template_definitions(old_ledger, "ledger.html")
    assert not template_definitions('{% for code, label in valleys %}<option value="{{ code }}">', "ok.html")
