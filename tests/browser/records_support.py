"""Helpers of the organisation-record browser tests: a walk through the pages (login, screenshots),
a live server on a database file that other threads can open, and a background worker thread.

Why a file: the ordinary ``live_server`` shares the test's in-memory SQLite connection with its
request threads; a worker thread would open a second connection to the same shared-cache memory
database, where a writer locks whole tables and readers fail at once. On a file (WAL, writers wait
up to 20 s, as settings.py configures SQLite) every thread has its own connection, as in production:
the worker thread imports while the server answers the page's progress polls. On PostgreSQL every
thread connects anyway and the test database is used as it is.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.management import call_command
from django.db import connection, connections
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from jinchuang.tasks.services import Job, run_one
from tests.browser.conftest import ARTIFACTS
from tests.factories import TEST_PASSWORD


class Walk:
    """One user at a time in one browser page; numbered full-page screenshots under test-artifacts/<folder>/."""

    def __init__(self, page: Page, base: str, folder: str) -> None:
        self.page = page
        self.base = base
        self.counter = itertools.count(1)
        self.shots = ARTIFACTS / folder
        self.shots.mkdir(parents=True, exist_ok=True)

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.shots / f"{next(self.counter):02d}-{name}.png"), full_page=True)

    def go(self, path: str) -> None:
        self.page.goto(f"{self.base}{path}")

    def login(self, username: str, password: str = TEST_PASSWORD) -> None:
        self.go("/login/")
        self.page.locator("#id_username").fill(username)
        self.page.locator("#id_password").fill(password)
        self.page.get_by_test_id("login-submit").click()
        expect(self.page.get_by_test_id("logout")).to_be_visible()

    def logout(self) -> None:
        self.page.get_by_test_id("logout").click()
        expect(self.page.get_by_test_id("nav-login")).to_be_visible()

    def act(self, name: str) -> None:
        self.page.get_by_test_id(f"do-{name}").click()
        expect(self.page.locator(".messages")).to_contain_text("已办理")


@pytest.fixture
def file_live_server(transactional_db: None, tmp_path: Path, settings: Any) -> Iterator[LiveServer]:
    """A live server whose request threads, the test and any worker thread each open their own
    connection to one database (a migrated file on SQLite)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    settings_dict = connection.settings_dict
    if connection.vendor != "sqlite" or not cast(Any, connection).is_in_memory_db():
        server = LiveServer("localhost")
        try:
            yield server
        finally:
            server.stop()
        return
    saved_name = settings_dict["NAME"]
    saved_connection = connection.connection
    connection.connection = None  # the in-memory test database stays open behind this
    settings_dict["NAME"] = str(tmp_path / "browser.sqlite3")
    try:
        call_command("migrate", verbosity=0, interactive=False)
        server = LiveServer("localhost")  # nothing in memory: no connection is shared with it
        try:
            yield server
        finally:
            server.stop()
    finally:
        connection.close()
        settings_dict["NAME"] = saved_name
        connection.connection = saved_connection


@contextmanager
def background_worker(pause: float = 0.05) -> Iterator[list[Job]]:
    """A worker thread that claims and runs jobs (``run_one``) until the block ends; yields the jobs
    it finished, in order. Its own database connection, closed when it stops."""
    stop = threading.Event()
    finished: list[Job] = []
    failures: list[BaseException] = []

    def work() -> None:
        try:
            while not stop.is_set():
                job = run_one("browser-test-worker")
                if job is None:
                    stop.wait(pause)
                else:
                    finished.append(job)
        except BaseException as exc:  # reported to the test below
            failures.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work, name="browser-test-worker", daemon=True)
    thread.start()
    try:
        yield finished
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive(), "the worker thread did not stop"
    assert not failures, failures
