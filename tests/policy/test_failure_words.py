"""What the engine says is missing is written in the vocabulary's words, never as a field's code."""

from __future__ import annotations

import re

from jinchuang.policy.catalog import default_catalog
from jinchuang.policy.evaluate import _missing_label

CODE = re.compile(r"[a-z]+_[a-z_]+|applicant\.")


def test_a_missing_field_is_named_by_its_label_only() -> None:
    vocabulary = default_catalog().vocabulary
    for spec in vocabulary.values():
        for name, field in spec.fields.items():
            label = _missing_label(name, spec, vocabulary)
            assert label == field.label
            assert not CODE.search(label), (name, label)


def test_the_settling_date_and_certifications_in_words() -> None:
    vocabulary = default_catalog().vocabulary
    assert _missing_label("months_in_valley", None, vocabulary) == "入驻日期"
    assert _missing_label("cert_high_tech", None, vocabulary) == "资质“高新技术企业”"
    assert _missing_label("cert_unknown_code", None, vocabulary) == "所需资质"
    assert _missing_label("some_field", None, vocabulary) == "所需信息"
