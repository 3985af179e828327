"""Tests that can fail: no test skips itself when one of the project's own modules does not import."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
OWN_MODULE_SKIP = re.compile(r"""importorskip\(\s*["'](jinchuang|bench|tests)(\.|["'])""")


def test_no_importorskip_of_the_projects_own_modules() -> None:
    offenders = [
        f"{path.relative_to(TESTS)}:{n}"
        for path in sorted(TESTS.rglob("*.py"))
        if path != Path(__file__).resolve()  # this file's own examples below
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OWN_MODULE_SKIP.search(line)
    ]
    assert offenders == [], "import the project's modules; a broken import must fail, not skip"


def test_the_pattern_finds_what_it_should() -> None:
    assert OWN_MODULE_SKIP.search('pytest.importorskip("jinchuang.policy.vectorised")')
    assert OWN_MODULE_SKIP.search("pytest.importorskip('bench')")
    assert not OWN_MODULE_SKIP.search('pytest.importorskip("schemathesis.specs.openapi.definitions")')
