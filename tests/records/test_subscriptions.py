"""Policy subscriptions: catalog_publish records the measures once per catalog version; a changed measure
tells the subscribed organisations whose record may qualify, once; other categories are not told."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from jinchuang.accounts.models import Role
from jinchuang.applications.models import Notification
from jinchuang.audit.models import AuditLog
from jinchuang.policy.catalog import Catalog, default_catalog
from jinchuang.policy.reform import apply_reform, load_reform
from jinchuang.policy.vocabulary import OrgKind, Valley
from jinchuang.records import subscriptions
from jinchuang.records.errors import RecordError, RecordPermissionDenied
from jinchuang.records.models import CatalogPublication, MeasureFingerprint, Subscription
from jinchuang.records.services import fact_declare
from jinchuang.records.subscriptions import NOTIFY_TASK, catalog_publish, subscription_notify, subscription_save
from jinchuang.tasks.models import Job
from jinchuang.tasks.services import run_pending
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db

RATE_UP = """
name: 晋城技术交易支持比例提高到25%
changes:
  - measure: jc-8
    rule: jc-8-trade
    set:
      rate: '0.25'
"""


def reformed() -> Catalog:
    return apply_reform(default_catalog(), load_reform(RATE_UP))


def member(**org: Any) -> Any:
    fields: dict[str, Any] = {"kind": OrgKind.ENTERPRISE, "valley": Valley.JINCHENG, "settled_on": dt.date(2024, 10, 1)}
    fields.update(org)
    return make_user(organisation=make_organisation(**fields), roles={Role.APPLICANT: ""})


def with_contract(user: Any) -> Any:
    day = dt.date.today() - dt.timedelta(days=30)
    event = {"type": "tech_contract_registered", "date": day.isoformat(), "amount": "1200000"}
    fact_declare(organisation=user.organisation, event_data={**event, "mode": "transfer", "role": "buyer"}, actor=user)
    return user


def test_catalog_publish_twice_is_once() -> None:
    call_command("catalog_publish")
    measures = sum(1 for _ in default_catalog().measures())
    publication = CatalogPublication.objects.get()
    assert publication.digest == default_catalog().digest and len(publication.changed) == measures
    assert MeasureFingerprint.objects.count() == measures
    assert Job.objects.filter(name=NOTIFY_TASK).count() == 1
    audits = AuditLog.objects.count()
    call_command("catalog_publish")
    _again, created = catalog_publish()
    assert created is False
    assert CatalogPublication.objects.count() == 1 and MeasureFingerprint.objects.count() == measures
    assert Job.objects.filter(name=NOTIFY_TASK).count() == 1 and AuditLog.objects.count() == audits


def test_a_changed_parameter_tells_the_subscriber_that_qualifies_once(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    catalog_publish()
    run_pending()  # the first version: nobody subscribed yet
    follower = with_contract(member())
    other_category = with_contract(member())
    other_valley = with_contract(member())
    subscription_save(organisation=follower.organisation, actor=follower, categories=["tech_transaction"], valleys=[])
    subscription_save(
        organisation=other_category.organisation, actor=other_category, categories=["talent_living"], valleys=[]
    )
    subscription_save(organisation=other_valley.organisation, actor=other_valley, categories=[], valleys=["大同"])

    new = reformed()
    monkeypatch.setattr(subscriptions, "published_catalog", lambda: new)
    publication, created = catalog_publish(catalog=new)
    assert created and publication.changed == ["jc-8"]
    assert MeasureFingerprint.objects.get(measure_id="jc-8").catalog_digest == new.digest
    with django_capture_on_commit_callbacks(execute=True):
        assert run_pending() == 1

    told = Notification.objects.filter(user=follower)
    assert told.count() == 1
    text = told.get().text
    assert "支持技术交易" in text and "符合条件" in text and "jc-8" not in text
    assert not Notification.objects.filter(user__in=[other_category, other_valley]).exists()
    assert set(Subscription.objects.values_list("catalog_digest", flat=True)) == {new.digest}

    # the same version again: published once, told once
    with django_capture_on_commit_callbacks(execute=True):
        catalog_publish(catalog=new)
        run_pending()
        subscription = Subscription.objects.get(organisation=follower.organisation)
        assert subscription_notify(subscription, catalog=new) == []
    assert Notification.objects.filter(user=follower).count() == 1


def test_a_stale_subscription_is_taken_once(django_capture_on_commit_callbacks: Any) -> None:
    """Two runs of the task for one version (a worker killed after telling): the version is taken by a
    conditional update, so the second run sends nothing."""
    catalog_publish()
    follower = with_contract(member())
    subscription_save(organisation=follower.organisation, actor=follower, categories=[], valleys=["晋城"])
    new = reformed()
    catalog_publish(catalog=new)
    stale = Subscription.objects.get(organisation=follower.organisation)
    copy = Subscription.objects.get(pk=stale.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert [n.measure_id for n in subscription_notify(stale, catalog=new)] == ["jc-8"]
        assert subscription_notify(copy, catalog=new) == []  # read before the first run took the version
    assert Notification.objects.filter(user=follower).count() == 1


def test_no_qualifying_record_no_message(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    catalog_publish()
    university = member(kind=OrgKind.UNIVERSITY)  # jc-8 is for enterprises only
    subscription_save(
        organisation=university.organisation, actor=university, categories=["tech_transaction"], valleys=[]
    )
    new = reformed()
    monkeypatch.setattr(subscriptions, "published_catalog", lambda: new)
    catalog_publish(catalog=new)
    with django_capture_on_commit_callbacks(execute=True):
        run_pending()
    assert not Notification.objects.filter(user=university).exists()
    assert Subscription.objects.get(organisation=university.organisation).catalog_digest == new.digest


def test_save_checks_every_value_and_member() -> None:
    user = member()
    with pytest.raises(RecordError) as bad:
        subscription_save(organisation=user.organisation, actor=user, categories=["no_such"], valleys=[])
    assert bad.value.field == "categories"
    with pytest.raises(RecordError) as bad_valley:
        subscription_save(organisation=user.organisation, actor=user, categories=[], valleys=["太原"])
    assert bad_valley.value.field == "valleys"
    stranger = member()
    with pytest.raises(RecordPermissionDenied):
        subscription_save(organisation=user.organisation, actor=stranger, categories=[], valleys=[])
    assert not Subscription.objects.exists()


def test_page(client: Client) -> None:
    assert client.get("/records/subscriptions/").status_code == 302  # to the login
    user = member()
    client.force_login(user)
    page = client.get("/records/subscriptions/")
    html = page.content.decode()
    assert page.status_code == 200 and "技术交易" in html and 'value="tech_transaction"' in html
    assert ">tech_transaction<" not in html
    saved = client.post("/records/subscriptions/", {"categories": ["tech_transaction", "listing"], "valleys": ["晋城"]})
    assert saved.status_code == 302
    subscription = Subscription.objects.get(organisation=user.organisation)
    assert subscription.categories == ["listing", "tech_transaction"] and subscription.valleys == ["晋城"]
    assert AuditLog.objects.filter(action="records.subscription_save").exists()
    bad = client.post("/records/subscriptions/", {"categories": ["nonsense"]})
    assert bad.status_code == 400 and "政策类别" in bad.content.decode()
    assert 'checked data-testid="category-tech_transaction"' in client.get("/records/subscriptions/").content.decode()
