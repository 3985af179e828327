"""One technology contract is one 就高不重复 matter however its amount was written.

The matter key used to hash the raw JSON of the event, so the same contract written "800000" and
"800000.00" was two matters and was paid twice. It now comes from the event as the engine parsed it
(type, date, every field normalised: money in fen). The concurrent tests race 24 approvals of
applications for that one contract written four ways (threads at a barrier, and processes released
together through a gate, as in test_concurrent_approvals.py): exactly one award's worth is paid.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from typing import Any

import pytest
from django.db import connections

from jinchuang.applications.errors import CapExceededError
from jinchuang.applications.models import Application, Award, Quota
from jinchuang.applications.services import application_approve
from jinchuang.applications.workflow import State
from jinchuang.policy.case import event_digest, parse_case
from jinchuang.policy.catalog import default_catalog
from jinchuang.records.models import Fact
from tests.applications.conftest import Cast, make_cast, submit, tech_transfer_case, walk
from tests.applications.test_concurrent_approvals import CHILD, REPO
from tests.factories import verify_facts

#: one contract of 800,000 yuan bought by transfer on 2025-06-01 (晋城 第8条: 20 % → 160,000 yuan)
WRITINGS: tuple[Any, ...] = ("800000", "800000.00", 800000, "800,000")
AWARD_FEN = 160_000_00
CONTENDERS = 24


def contract_case(amount: Any) -> dict[str, Any]:
    case = tech_transfer_case()
    case["events"][0]["amount"] = amount
    return case


def matter_keys(application: Application) -> set[str]:
    return {m["event_key"] for m in application.matters}


def test_the_digest_is_of_the_parsed_event_not_of_its_text() -> None:
    catalog = default_catalog()
    digests = {
        event_digest(parse_case(contract_case(amount), catalog).events[0], catalog.vocabulary) for amount in WRITINGS
    }
    assert len(digests) == 1
    other = parse_case(contract_case("800000.01"), catalog).events[0]
    assert event_digest(other, catalog.vocabulary) not in digests  # one fen more is another contract


@pytest.mark.django_db
def test_four_applications_for_one_contract_written_four_ways_are_one_matter_paid_once(cast: Cast) -> None:
    applications = [walk(submit(cast, contract_case(amount)), cast, State.APPROVAL) for amount in WRITINGS]
    assert {a.engine_max_fen for a in applications} == {AWARD_FEN}
    # one contract is one fact of the record, stored in fen, however its amount was written
    (fact,) = Fact.objects.filter(organisation=cast.organisation, event_type="tech_contract_registered")
    assert fact.fields["amount"] == 800_000_00
    assert {f.pk for a in applications for f in a.facts.all()} == {fact.pk}
    keys = set().union(*(matter_keys(a) for a in applications))
    assert len(keys) == 1
    (key,) = keys
    application_approve(application=applications[0], amount_fen=AWARD_FEN, reason="", actor=cast.reviewer)
    for application in applications[1:]:
        with pytest.raises(CapExceededError) as refused:
            application_approve(application=application, amount_fen=AWARD_FEN, reason="", actor=cast.reviewer)
        assert refused.value.key == f"matter:tech_transaction:{key}"
    assert Award.objects.filter(organisation=cast.organisation).count() == 1


def contenders() -> tuple[Cast, list[int]]:
    cast = make_cast()
    pks = [submit(cast, contract_case(WRITINGS[n % len(WRITINGS)])).pk for n in range(CONTENDERS)]
    for pk in pks:
        verify_facts(Application.objects.get(pk=pk), cast.agent)
    Application.objects.filter(pk__in=pks).update(state=State.APPROVAL)  # the review steps are tested elsewhere
    return cast, pks


def assert_paid_once(cast: Cast, outcomes: list[str]) -> None:
    assert Fact.objects.filter(organisation=cast.organisation, event_type="tech_contract_registered").count() == 1
    assert outcomes.count("ok") == 1, outcomes
    assert outcomes.count("matter") == CONTENDERS - 1, outcomes
    matters = Quota.objects.filter(organisation=cast.organisation, key__startswith="matter:")
    assert [(q.used_fen, q.limit_fen) for q in matters] == [(AWARD_FEN, AWARD_FEN)]
    awards = Award.objects.filter(organisation=cast.organisation, cancelled_at__isnull=True)
    assert [a.amount_fen for a in awards] == [AWARD_FEN]
    assert Application.objects.filter(state=State.PUBLIC_NOTICE).count() == 1
    assert Application.objects.filter(state=State.APPROVAL).count() == CONTENDERS - 1


def test_threads_approving_one_contract_written_differently_pay_it_once(shared_database: str) -> None:
    cast, pks = contenders()
    assert len({k for pk in pks for k in matter_keys(Application.objects.get(pk=pk))}) == 1
    barrier = threading.Barrier(CONTENDERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def approve(pk: int) -> None:
        try:
            application = Application.objects.get(pk=pk)
            barrier.wait(timeout=60)
            try:
                application_approve(
                    application=application, amount_fen=AWARD_FEN, reason="并发测试", actor=cast.reviewer
                )
                outcome = "ok"
            except CapExceededError as exc:
                outcome = "matter" if exc.key.startswith("matter:") else f"cap {exc.key}"
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
    assert_paid_once(cast, outcomes)


def test_processes_approving_one_contract_written_differently_pay_it_once(shared_database: str) -> None:
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
                f"--amount-fen={AWARD_FEN}",
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
            if result["approved"]:
                outcomes.append("ok")
            elif result.get("error") == "cap_exceeded" and "就高不重复" in result.get("cap", ""):
                outcomes.append("matter")
            else:
                outcomes.append(str(result))
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert_paid_once(cast, outcomes)
