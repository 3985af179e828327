"""Concurrent approvals never pay past a cap: threads and processes, on SQLite and PostgreSQL.

25 applications of one enterprise, each approved for 100,000 yuan at the same moment, against
晋城 第8条's cap of 500,000 yuan a year: exactly five succeed and the cap's row holds 500,000 yuan.
Threads wait at a threading.Barrier; processes (the real back-office command) are set up and connected,
then wait at a gate until all are ready and are released together, so they really race.
These tests use real transactions (``transactional_db``) so they also run in the PostgreSQL pass.
On SQLite the database is a file (threads and processes need one shared database), created here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from django.db import connections

from jinchuang.applications.errors import CapExceededError
from jinchuang.applications.models import Application, Award, Quota
from jinchuang.applications.services import application_approve
from jinchuang.applications.workflow import State
from tests.applications.conftest import Cast, make_cast, submit, tech_transfer_case
from tests.factories import verify_facts

REPO = Path(__file__).resolve().parents[2]
CONTENDERS = 25
AMOUNT_FEN = 100_000_00
CAP_FEN = 500_000_00
CAP_KEY = "jc-8:measure:per_entity_per_year:2025"


def contenders() -> tuple[Cast, list[int]]:
    cast = make_cast()
    pks = []
    for n in range(CONTENDERS):
        application = submit(cast, tech_transfer_case(str(1_000_000 + n)))  # distinct contracts, 200,000 yuan each
        pks.append(application.pk)
    for pk in pks:
        verify_facts(Application.objects.get(pk=pk), cast.agent)
    Application.objects.filter(pk__in=pks).update(state=State.APPROVAL)  # the review steps are tested elsewhere
    return cast, pks


def assert_cap_held(outcomes: list[str]) -> None:
    assert outcomes.count("ok") == CAP_FEN // AMOUNT_FEN, outcomes
    assert outcomes.count("cap") == CONTENDERS - CAP_FEN // AMOUNT_FEN, outcomes
    quota = Quota.objects.get(key=CAP_KEY)
    assert quota.used_fen == quota.limit_fen == CAP_FEN
    awards = Award.objects.filter(measure_id="jc-8", cancelled_at__isnull=True)
    assert awards.count() == 5
    assert sum(a.amount_fen for a in awards) == CAP_FEN
    assert Application.objects.filter(state=State.PUBLIC_NOTICE).count() == 5
    assert Application.objects.filter(state=State.APPROVAL).count() == CONTENDERS - 5


def test_threads_approving_at_once_never_pass_the_cap(shared_database: str) -> None:
    cast, pks = contenders()
    barrier = threading.Barrier(CONTENDERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def approve(pk: int) -> None:
        try:
            application = Application.objects.get(pk=pk)
            barrier.wait(timeout=60)
            try:
                application_approve(
                    application=application, amount_fen=AMOUNT_FEN, reason="并发测试", actor=cast.reviewer
                )
                outcome = "ok"
            except CapExceededError:
                outcome = "cap"
            except Exception as exc:  # pragma: no cover - reported by the assertion below
                outcome = f"error: {type(exc).__name__}: {exc}"
            with lock:
                outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(pk,)) for pk in pks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == CONTENDERS
    assert_cap_held(outcomes)


#: a child process: Django set up and connected, it says "ready" and waits at the gate (its stdin)
#: until every child is ready, then runs the real back-office command
CHILD = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinchuang.settings")
import django
django.setup()
from django.core.management import call_command
from django.db import connection
connection.ensure_connection()
print("ready", flush=True)
if sys.stdin.readline().strip() != "go":
    sys.exit(3)
call_command("application_approve", *sys.argv[1:])
"""


def test_processes_approving_at_once_never_pass_the_cap(shared_database: str) -> None:
    cast, pks = contenders()
    connections.close_all()  # let the children take the write lock
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = shared_database
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                CHILD,
                f"--application={pk}",
                f"--amount-fen={AMOUNT_FEN}",
                f"--actor={cast.reviewer.username}",
                "--reason=并发测试(进程)",
            ],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for pk in pks
    ]
    try:
        for child in children:  # the barrier: nobody starts before everybody is ready
            assert child.stdout is not None
            line = child.stdout.readline()
            assert line.strip() == "ready", (line, child.stderr.read() if child.stderr else "")
        assert Award.objects.count() == 0  # nobody went through the gate early
        connections.close_all()
        for child in children:  # release them all at once
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        outcomes = []
        for child in children:
            out, err = child.communicate(timeout=300)
            assert child.returncode == 0, err
            result = json.loads(out.strip().splitlines()[-1])
            outcomes.append("ok" if result["approved"] else result.get("error", "?").replace("cap_exceeded", "cap"))
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert_cap_held(outcomes)
