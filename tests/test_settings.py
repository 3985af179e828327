"""jinchuang.settings reads the environment; production settings pass `check --deploy`."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JINCHUANG_"))}
    env.pop("DATABASE_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "jinchuang.settings"
    env.update(extra)
    return env


def production_env() -> dict[str, str]:
    return base_env(
        JINCHUANG_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="jinchuang.example.cn",
    )


def test_check_deploy_passes_with_production_settings() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_with_development_settings() -> None:
    """The test above can fail: development settings do not pass the deploy checks."""
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=base_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS in development


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_security_settings() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.ALLOWED_HOSTS)"
    )
    result = run_python(code, production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True True True True ['jinchuang.example.cn']"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "django.db.backends.sqlite3 " + str(REPO / "var" / "db.sqlite3")),
        (
            {"DATABASE_URL": "postgres://someone@db.internal:5432/jinchuang"},
            "django.db.backends.postgresql jinchuang",
        ),
    ],
)
def test_database_url(env: dict[str, str], expected: str) -> None:
    code = "from django.conf import settings as s; d = s.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
    result = run_python(code, base_env(**env))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_environment_overrides() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.MEDIA_ROOT, s.EMAIL_BACKEND, s.SECRET_KEY)"
    )
    result = run_python(
        code,
        base_env(
            DJANGO_DEBUG="0",
            DJANGO_ALLOWED_HOSTS="a.example, b.example",
            MEDIA_ROOT="/tmp/jc-media",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            DJANGO_SECRET_KEY="k" * 60,
        ),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"False ['a.example', 'b.example'] /tmp/jc-media django.core.mail.backends.locmem.EmailBackend {'k' * 60}"
    )


def test_development_defaults() -> None:
    code = "from django.conf import settings as s; print(s.DEBUG, s.MEDIA_ROOT, s.EMAIL_BACKEND)"
    result = run_python(code, base_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"True {REPO / 'var' / 'media'} django.core.mail.backends.console.EmailBackend"


def test_bad_boolean_is_refused() -> None:
    result = run_python("import django; django.setup()", base_env(DJANGO_DEBUG="maybe"))
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr
