"""The application form in English: the record's valley is shown translated ("Jincheng") and is not a form
field (kind, valley and 入驻日期 are the record's), so the form a user posts back as it was rendered creates
the application; the calculator prefill keeps the codes (晋城, enterprise), never the translated labels."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from jinchuang.applications.models import Application
from jinchuang.applications.web.views.apply import _default_case
from jinchuang.applications.workflow import State
from jinchuang.policy.catalog import default_catalog
from tests.applications.web.conftest import Cast

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """What a browser submits for the form whose action ends with ``action_suffix``: text, date and hidden
    inputs as rendered, each select's selected option (the first option when none is selected)."""

    def __init__(self, action_suffix: str) -> None:
        super().__init__()
        self.action_suffix = action_suffix
        self.in_form = False
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.in_form = a.get("action", "").endswith(self.action_suffix)
        if not self.in_form:
            return
        if tag == "input" and a.get("name") and a.get("type", "text") in ("text", "date", "hidden", "number"):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select, self._first_option, self._selected = a.get("name"), None, None
        elif tag == "option" and self._select is not None:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self._selected = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self._select is not None:
            self.fields[self._select] = self._selected if self._selected is not None else self._first_option or ""
            self._select = None


def _english(client: Client) -> Client:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def test_english_application_form_posted_back_as_rendered_creates_the_application(cast: Cast) -> None:
    client = _english(cast.client(cast.applicant))
    page = client.get("/applications/apply/jc-8/")
    html = page.content.decode()
    assert page.status_code == 200 and '<html lang="en">' in html
    assert 'data-testid="record-valley">Jincheng<' in html  # the record's valley, shown translated ...

    form = _FormFields("/applications/apply/jc-8/submit/")
    form.feed(html)
    assert "applicant_valley" not in form.fields  # ... and not a field: it is the record's, not typed
    assert "applicant_kind" not in form.fields

    # the user fills in the facts the measure asks for, as on the page, and submits
    post = {
        **form.fields,
        "as_of": "2025-12-31",
        "ev-0-type": "tech_contract_registered",
        "ev-0-date": "2025-06-01",
        "ev-0-amount": "1200000",
        "ev-0-mode": "transfer",
        "ev-0-role": "buyer",
    }
    response = client.post("/applications/apply/jc-8/submit/", post)
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get(organisation=cast.organisation)
    assert application.state == State.SUBMITTED
    assert application.case_data["applicant"]["valley"] == "晋城"
    assert application.valley == "晋城"
    assert application.engine_max_fen == 24_000_000  # 1,200,000 × 20% = 240,000 yuan


def test_default_case_prefills_codes_whatever_the_language(cast: Cast) -> None:
    measure = default_catalog().measure("jc-8")[1]
    request = RequestFactory().get("/applications/apply/jc-8/")
    request.user = cast.applicant
    for language in ("en", "zh-hans"):
        with translation.override(language):
            applicant = _default_case(request, measure)["applicant"]
        assert (applicant["kind"], applicant["valley"]) == ("enterprise", "晋城"), language
