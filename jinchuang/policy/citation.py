"""The one citation function: how every face cites a measure's clause (文号 + 条款).

Pages must not write ``第{{ clause }}条`` themselves: a clause the catalog already prints as 第八条
would read 第第八条条 (issue 10). ``clause_words`` gives the clause as printed, ``cite`` the whole
citation; the template filter ``{{ doc.wenhao|cite:measure.clause }}`` wraps ``cite``.
"""

from __future__ import annotations

import re

from jinchuang.policy.i18n import gettext, gettext_noop

NO_WENHAO = gettext_noop("(无文号)")

_NUMBER = re.compile(r"[0-9０-９]+")
_WRAPPED = re.compile(r"第\s*(?P<inner>.+?)\s*条")


def clause_words(clause: str) -> str:
    """'8' → '第8条'; '第八条', '（四）', '科技金融·三', '八' are printed as they are.

    A clause doubled by a careless caller ('第第八条条') is read back to '第八条'.
    """
    clause = clause.strip()
    while True:
        match = _WRAPPED.fullmatch(clause)
        if match is None or not _WRAPPED.fullmatch(match.group("inner")):
            break
        clause = match.group("inner")
    if _NUMBER.fullmatch(clause):
        return gettext("第%(clause)s条") % {"clause": clause}
    return clause


def cite(wenhao: str | None, clause: str, missing: str | None = None) -> str:
    """'晋市政办〔2024〕39号 第8条'.

    A clause given as a number is printed 第N条; a clause already written out (第八条, （四）,
    科技金融·三, 八) is printed as it is, so it never becomes 第第八条条.  A document without a 文号
    is cited as ``missing`` (by default '(无文号)' in the active language).
    """
    number = wenhao or (gettext(NO_WENHAO) if missing is None else missing)
    words = clause_words(clause)
    if not words:
        return number
    return f"{number} {words}"
