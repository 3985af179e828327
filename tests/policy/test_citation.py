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
