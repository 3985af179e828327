"""`make test-api-fuzz`: schemathesis against the API's OpenAPI document on a live server.

1. a temporary SQLite database (and media folder), migrated, with the demo accounts, one submitted
   application of the demo enterprise and an API token of its applicant;
2. ``manage.py runserver --noreload`` on a free loopback port, in a separate process;
3. ``schemathesis run http://127.0.0.1:PORT/api/v1/openapi.json --checks all`` with the token,
   bounded (few examples per operation, ``--max-time`` and a hard timeout);
4. exit status: schemathesis's (any 5xx or schema violation fails), or 1 on a timeout.

Options: ``--max-examples N`` (default 10), ``--max-time S`` (default 150), ``--include-path-regex R``
(default: the application API's operations), ``--all`` (every operation of /api/v1) and ``--keep``
(leave the temporary folder). Settings for the checks: ``tests/applications/api/schemathesis.toml``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CONFIG = ROOT / "tests" / "applications" / "api" / "schemathesis.toml"
#: the application API's operations (jinchuang.applications.api). The calculator's and the policy
#: library's operations are fuzzed with --all; see docs/api.md for what that run still reports.
APPLICATION_API = (
    r"^/api/v1/(applications|ledger|notices|queue|notifications)(/|$)"
    # and the organisation record's API (jinchuang.records.api: the record, its facts, entitlements)
    r"|^/api/v1/records/(me|facts|\{organisation_id\})(/|$)"
)
HARD_TIMEOUT_SLACK = 90  # seconds on top of --max-time before the run is killed


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed() -> None:
    """Runs inside Django (``api_fuzz.py --seed``): demo data, one application, print a token."""
    import django

    django.setup()
    from django.core.management import call_command

    from jinchuang.accounts.models import User
    from jinchuang.applications.services import application_submit
    from jinchuang.applications.tokens import api_token_create

    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_demo", verbosity=0)
    applicant = User.objects.get(username="demo_applicant")
    assert applicant.organisation is not None
    application_submit(
        organisation=applicant.organisation,
        measure_id="jc-8",
        case_data={
            "as_of": "2025-12-31",
            "applicant": {"kind": "enterprise", "valley": "晋城", "settled_on": "2025-03-18"},
            "events": [
                {
                    "type": "tech_contract_registered",
                    "date": "2025-06-01",
                    "amount": "1200000",
                    "mode": "transfer",
                    "role": "buyer",
                }
            ],
        },
        idempotency_key="fuzz-seed",
        actor=applicant,
    )
    _token, raw = api_token_create(user=applicant, name="api-fuzz")
    print(raw)


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the test server exited early with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the test server did not answer {url} within {seconds:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--max-examples", type=int, default=10)
    parser.add_argument("--max-time", type=int, default=150)
    parser.add_argument("--include-path-regex", default=APPLICATION_API)
    parser.add_argument("--all", action="store_true", help="fuzz every operation of /api/v1")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if args.seed:
        seed()
        return 0

    schemathesis = shutil.which("schemathesis", path=str(Path(PYTHON).parent)) or shutil.which("schemathesis")
    if schemathesis is None:
        print("schemathesis is not installed: pip install -e '.[dev]'", file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="jinchuang-api-fuzz-"))
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "jinchuang.settings",
            "DATABASE_URL": f"sqlite:///{workdir / 'fuzz.sqlite3'}",
            "MEDIA_ROOT": str(workdir / "media"),
            "DJANGO_DEBUG": "0",
            "JINCHUANG_ENV": "development",
            "PYTHONPATH": str(ROOT),
        }
    )
    server: subprocess.Popen[bytes] | None = None
    try:
        print(f"== api fuzz: temporary database in {workdir} ==", flush=True)
        token = (
            subprocess.run([PYTHON, __file__, "--seed"], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
            .stdout.strip()
            .splitlines()[-1]
        )
        port = free_port()
        log = (workdir / "server.log").open("wb")
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        schema_url = f"http://127.0.0.1:{port}/api/v1/openapi.json"
        wait_for(schema_url, server)
        command = [
            schemathesis,
            "--config-file",
            str(CONFIG),
            "run",
            schema_url,
            "--checks",
            "all",
            "--header",
            f"Authorization: Bearer {token}",
            "--max-examples",
            str(args.max_examples),
            "--max-time",
            str(args.max_time),
            "--workers",
            "1",
            "--seed",
            "20260101",
            "--request-timeout",
            "20",
            "--output-truncate",
            "true",
        ]
        if args.include_path_regex and not args.all:
            command += ["--include-path-regex", args.include_path_regex]
        print("== " + " ".join(c if "Bearer" not in c else "Authorization: Bearer ***" for c in command), flush=True)
        try:
            result = subprocess.run(command, cwd=workdir, timeout=args.max_time + HARD_TIMEOUT_SLACK)
        except subprocess.TimeoutExpired:
            print(f"ERROR: schemathesis did not finish within {args.max_time + HARD_TIMEOUT_SLACK} s", file=sys.stderr)
            return 1
        if result.returncode != 0:
            print(f"== server log: {workdir / 'server.log'} (kept) ==", file=sys.stderr)
            args.keep = True
        return result.returncode
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
