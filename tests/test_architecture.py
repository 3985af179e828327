"""The policy engine imports no Django (design.md §2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The policy engine imports no Django and no web layer KEPT" in result.stdout


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
