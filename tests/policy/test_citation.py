import pytest

from jinchuang.policy.citation import cite


@pytest.mark.parametrize(
    ("wenhao", "clause", "expected"),
    [
        ("晋市政办〔2024〕39号", "8", "晋市政办〔2024〕39号 第8条"),
        ("晋市政办〔2024〕39号", "第八条", "晋市政办〔2024〕39号 第八条"),
        ("同政发〔2024〕1号", "（四）", "同政发〔2024〕1号 （四）"),
        ("临政发〔2024〕2号", "科技金融·三", "临政发〔2024〕2号 科技金融·三"),
        ("", "3", "(无文号) 第3条"),
        (None, "第二条", "(无文号) 第二条"),
        ("晋市政办〔2024〕39号", "", "晋市政办〔2024〕39号"),
    ],
)
def test_cite(wenhao: str | None, clause: str, expected: str) -> None:
    assert cite(wenhao, clause) == expected


def test_the_missing_words_can_be_translated() -> None:
    assert cite("", "3", missing="(no document number)") == "(no document number) 第3条"


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("8", "第8条"),
        ("第八条", "第八条"),
        ("第第八条条", "第八条"),
        (" 第十七条 ", "第十七条"),
        ("（四）", "（四）"),
        ("八", "八"),
    ],
)
def test_clause_words(clause: str, expected: str) -> None:
    from jinchuang.policy.citation import clause_words

    assert clause_words(clause) == expected


def test_no_clause_of_the_catalog_is_cited_with_a_doubled_di_tiao() -> None:
    """Regression (issue 10): "同政办规〔2024〕4号 第第八条条"."""
    from jinchuang.policy.catalog import default_catalog

    catalog = default_catalog()
    citations = [cite(d.wenhao, m.clause) for d, m in catalog.measures()]
    assert "同政办规〔2024〕4号 第八条" in citations
    assert [c for c in citations if "第第" in c or "条条" in c] == []
