"""The one citation function: how every face cites a measure's clause (文号 + 条款)."""

from __future__ import annotations

NO_WENHAO = "(无文号)"


def cite(wenhao: str | None, clause: str, missing: str = NO_WENHAO) -> str:
    """'晋市政办〔2024〕39号 第8条'.

    A clause given as a number is printed 第N条; a clause already written out (第八条, （四）,
    科技金融·三, 八) is printed as it is, so it never becomes 第第八条条.  A document without a 文号
    is cited as ``missing`` ('(无文号)'; a page may pass the translated words).
    """
    number = wenhao or missing
    clause = clause.strip()
    if not clause:
        return number
    return f"{number} 第{clause}条" if clause.isdigit() else f"{number} {clause}"
