"""API test set-up: the workflow's cast (tests/applications/conftest.py) with a token per person."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from jinchuang.accounts.models import User
from jinchuang.applications.tokens import api_token_create
from tests.applications.conftest import Cast, make_cast


class Api:
    """A test client speaking JSON to /api/v1 with one user's bearer token."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.token = token

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra or {})
        return headers

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self._headers())

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(
            f"/api/v1{path}",
            body if body is not None else {},
            content_type="application/json",
            headers=self._headers(headers),
        )

    def upload(self, path: str, name: str, content: bytes) -> Any:
        from django.core.files.uploadedfile import SimpleUploadedFile

        return self.client.post(f"/api/v1{path}", {"file": SimpleUploadedFile(name, content)}, headers=self._headers())


def api_for(user: User) -> Api:
    _token, raw = api_token_create(user=user, name="test")
    return Api(raw)


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()


def release(response: Any) -> None:
    """Finish a streamed (file) response: the test client closes the file at the end of the stream
    without closing the database connection (``response.close()`` would, on PostgreSQL)."""
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
