"""W8: the calculator as a browser sees it — a live server on a fresh SQLite file with the catalog and the
demo data, Debian's chromium driven by Playwright, times read from the browser.

    python -m bench.pages DB [--runs 20] [--warmup 3] [--profile FILE]

Measured, each over ``--runs`` runs after ``--warmup`` ones:

- the calculator page ``GET /calculator/`` for a visitor and for a signed-in member (the page then starts
  from the organisation's record): server time = Navigation Timing ``responseStart - requestStart`` (the
  time from the request leaving the browser to the first byte of the answer), plus the time to the
  page's load event;
- compute of a five-valley comparison: the calculator's own form (a technology contract of 120 万元 and a
  hired PhD, 看哪个谷 = 五个谷对比) posted by ``fetch`` from the page, server time from Resource Timing
  (``responseStart - requestStart`` of that request) and the round trip by ``performance.now()`` around
  the request until the whole answer has been read.

The server is Django's threaded WSGI server (``django.core.servers.basehttp``, the one ``runserver``
uses) with the static files handler, in a thread of this process; DEBUG off. ``--profile FILE`` writes a
pyinstrument text profile of the server side of the timed requests (pyinstrument in bench only).

Prints one JSON line. Nothing here is imported by the project.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-quic"]
MEMBER = "demo_applicant"  # the demo's 晋城 enterprise member (accounts.demo)

#: the five-valley case typed into the calculator's form (field test ids of calculator/_event_row.html)
TECH_CONTRACT = {"ev-0-date": "2025-06-01", "ev-0-amount": "120"}

NAV_TIMING = """() => { const n = performance.getEntriesByType('navigation')[0];
  return {server: n.responseStart - n.requestStart, load: n.loadEventEnd - n.startTime, bytes: n.transferSize}; }"""

COMPUTE = """async (runs) => {
  const form = document.querySelector('[data-testid=calc-form]');
  const out = [];
  for (let i = 0; i < runs; i++) {
    performance.clearResourceTimings();
    const body = new FormData(form);
    const t0 = performance.now();
    const r = await fetch(form.action, {method: 'POST', body: body, credentials: 'same-origin'});
    const text = await r.text();
    const t1 = performance.now();
    const e = performance.getEntriesByType('resource').filter(x => x.initiatorType === 'fetch').pop();
    out.push({status: r.status, roundtrip: t1 - t0, server: e ? e.responseStart - e.requestStart : null,
              bytes: text.length, person: text.includes('由个人申报'),
              valleys: (text.match(/data-testid="total-/g) || []).length});
  }
  return out; }"""


def setup(db: Path) -> None:
    if db.exists():
        db.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("MEDIA_ROOT", str(db.parent / f"{db.stem}-media"))
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")  # no "Not Found: /favicon.ico" lines
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 50)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jinchuang.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    with open(os.devnull, "w") as quiet:
        for command in ("catalog_publish", "load_demo", "load_demo_applications", "load_demo_records"):
            call_command(command, verbosity=0, stdout=quiet)


def serve() -> tuple[Any, str]:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=True)
    server.set_app(StaticFilesHandler(get_wsgi_application()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def member_cookie() -> dict[str, str]:
    """A signed-in session of the demo member (made through Django's session machinery, as a login does)."""
    from django.conf import settings
    from django.test import Client

    from jinchuang.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=MEMBER))
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50_ms": statistics.median(ordered),
        "p95_ms": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "min_ms": ordered[0],
        "n": len(ordered),
    }


def navigations(page: Any, url: str, runs: int, warmup: int) -> dict[str, Any]:
    server, load, size = [], [], 0
    for i in range(warmup + runs):
        page.goto(url, wait_until="load")
        timing = page.evaluate(NAV_TIMING)
        if i >= warmup:
            server.append(timing["server"])
            load.append(timing["load"])
            size = int(timing["bytes"])
    return {"server": summary(server), "load": summary(load), "bytes": size}


def fill_comparison(page: Any, base: str) -> None:
    page.goto(f"{base}/calculator/?free=1", wait_until="load")
    page.get_by_test_id("applicant_valley").select_option("大同")
    page.get_by_test_id("as_of").fill("2025-12-31")
    page.get_by_test_id("ev-0-date").fill(TECH_CONTRACT["ev-0-date"])
    page.get_by_test_id("ev-0-amount").fill(TECH_CONTRACT["ev-0-amount"])
    page.get_by_test_id("ev-0-amount-unit").select_option("wan")
    page.get_by_test_id("ev-0-mode").select_option("transfer")
    page.get_by_test_id("ev-0-role").select_option("buyer")
    page.get_by_test_id("new-event-type").select_option("person_hired")
    page.get_by_test_id("add-event").click()
    page.get_by_test_id("ev-1-degree").wait_for()
    page.get_by_test_id("ev-1-date").fill("2025-06-01")
    page.get_by_test_id("ev-1-degree").select_option("phd")
    for name in ("full_time", "full_time_degree"):
        page.get_by_test_id(f"ev-1-{name}").select_option("true")
    page.get_by_test_id("ev-1-contract_years").fill("3")
    page.get_by_test_id("ev-1-social_insurance_months").fill("6")
    page.get_by_test_id("ev-1-months").fill("12")
    page.get_by_test_id("ev-1-housing").select_option("purchase")
    page.get_by_test_id("scope").select_option("all")


def computes(page: Any, runs: int, warmup: int) -> dict[str, Any]:
    rows = page.evaluate(COMPUTE, warmup + runs)[warmup:]
    bad = [r for r in rows if r["status"] != 200 or not r["person"] or r["valleys"] < 5]
    if bad:
        raise SystemExit(f"the five-valley compute did not answer as expected: {bad[0]}")
    return {
        "server": summary([r["server"] for r in rows if r["server"] is not None]),
        "roundtrip": summary([r["roundtrip"] for r in rows]),
        "bytes": rows[-1]["bytes"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    t0 = time.monotonic()
    setup(args.db)
    build_s = time.monotonic() - t0
    server, base = serve()
    cookie = member_cookie()  # before Playwright: its event loop makes Django refuse database calls in this thread
    from playwright.sync_api import sync_playwright

    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(async_mode="disabled")
    out: dict[str, Any] = {"build_s": build_s, "runs": args.runs, "warmup": args.warmup}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            visitor = browser.new_context(locale="zh-CN").new_page()  # the Chinese pages (Accept-Language)
            if profiler:
                profiler.start()
            out["page_visitor"] = navigations(visitor, f"{base}/calculator/", args.runs, args.warmup)
            fill_comparison(visitor, base)
            out["compute"] = computes(visitor, args.runs, args.warmup)
            member = browser.new_context(locale="zh-CN")
            member.add_cookies([{**cookie, "url": base}])
            out["page_member"] = navigations(member.new_page(), f"{base}/calculator/", args.runs, args.warmup)
            if profiler:
                profiler.stop()
                args.profile.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
            browser.close()
    finally:
        server.shutdown()
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    sys.exit(main())
