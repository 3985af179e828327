"""The policy engine imports no Django (design.md §2); every business area is layered and independent."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The policy engine imports no Django and no web layer KEPT" in result.stdout


def test_every_business_area_is_layered_and_independent() -> None:
    """Each Django app under jinchuang/ is a container of the layers contract and a member of the
    independence contract, so a new area cannot slip past the rules (faces → services/selectors →
    models; areas talk only through services, selectors and published modules)."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    areas = {f"jinchuang.{p.parent.name}" for p in (REPO / "jinchuang").glob("*/apps.py")}
    layered = {m for c in contracts if c["type"] == "layers" for m in c.get("containers", [])}
    independent = {m for c in contracts if c["type"] == "independence" for m in c["modules"]}
    assert areas <= layered, sorted(areas - layered)
    assert areas <= independent, sorted(areas - independent)
    engine = next(c for c in contracts if c["source_modules"] == ["jinchuang.policy"])
    assert areas <= set(engine["forbidden_modules"]), sorted(areas - set(engine["forbidden_modules"]))


def test_importing_the_engine_loads_no_django() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "import jinchuang.policy as p\n"
        "for m in pkgutil.walk_packages(p.__path__, 'jinchuang.policy.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n == 'django' or n.startswith(('django.', 'ninja')))\n"
        "print('LOADED:', bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "LOADED: []" in result.stdout


def test_the_django_check_would_catch_django_in_a_fresh_interpreter() -> None:
    """Guard against a vacuous check: importing Django does show up in sys.modules."""
    code = "import sys, django.conf; print(any(n.startswith('django') for n in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "True"
