"""免申即享 pages and the officers' texts in both languages: the officer's form offers only what the view reads
(identity and the judging date come from the organisation's record), the pages read in English, and the texts
the services write (notifications, cap labels, clocks) follow the active language."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from jinchuang.applications.models import Notification, Offer
from jinchuang.applications.quotas import quota_draws
from jinchuang.applications.web.views.common import duration_text
from tests.applications.web.conftest import Cast, submitted
from tests.applications.web.test_offers import FACTS


def test_the_officers_form_has_no_inputs_the_view_ignores(cast: Cast) -> None:
    reviewer = cast.client(cast.reviewer)
    url = f"/applications/offers/new/?organisation={cast.organisation.pk}"
    page = reviewer.get(url).content.decode()
    for ignored in ("applicant_kind", "applicant_name", "applicant_valley", "settled_on", 'name="as_of"'):
        assert ignored not in page, ignored
    assert "取自机构档案" in page and 'data-testid="step-what"' in page
    assert "第二步" not in page  # no step 1 on this page: the events are the only step
    # the record decides: a typed kind and valley of another city change nothing
    reviewer.post(url, {**FACTS, "applicant_kind": "university", "applicant_valley": "大同"})
    assert Offer.objects.get(organisation=cast.organisation, measure_id="jc-8").engine_max_fen == 240_000_00


def test_offer_pages_read_in_english(cast: Cast) -> None:
    reviewer = cast.client(cast.reviewer)
    chooser = reviewer.get("/applications/offers/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Enter facts, create offers of support without applying" in chooser and ">Next<" in chooser
    url = f"/applications/offers/new/?organisation={cast.organisation.pk}"
    form = reviewer.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "come from the organisation&#x27;s record" in form or "come from the organisation's record" in form
    assert "Create the offers" in form
    response = reviewer.post(url, FACTS, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "offers of support without applying created" in response.content.decode()

    applicant = cast.client(cast.applicant)
    listing = applicant.get("/applications/offers/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Confirm and submit" in listing and "Computed amount (yuan)" in listing
    chinese = applicant.get("/applications/offers/").content.decode()
    assert "确认并提交" in chinese and "计算金额(元)" in chinese
    # the applicant's notice of the offer was written in the language of the officer's request
    notice = Notification.objects.filter(user=cast.applicant).latest("pk")
    assert notice.text.startswith("Support without applying: from the verified facts of your record")


def test_clock_text_in_both_languages() -> None:
    delta = dt.timedelta(hours=19)  # 2 working days of 8 hours and 3 hours
    assert duration_text(delta) == "剩余 2 个工作日 3 小时"
    assert duration_text(-dt.timedelta(minutes=5)) == "已超时 5 分钟"
    with translation.override("en"):
        assert duration_text(delta) == "2 working days 3 hours left"
        assert duration_text(-dt.timedelta(minutes=5)) == "Overdue by 5 minutes"


def test_cap_labels_name_no_codes(cast: Cast) -> None:
    application = submitted(cast.applicant)
    draws = quota_draws(application, 10_000_00)
    labels = [d.label for d in draws]
    assert any(label.endswith("本案计算上限") for label in labels)
    for label in labels:  # the measure's title and the rules' labels, never a group id such as startup_capital
        assert "_" not in label, label
    with translation.override("en"):
        english = [d.label for d in quota_draws(application, 10_000_00)]
    assert any("the computed maximum of this application" in label for label in english)
