"""Our Django application (the real one, every middleware included) serving the benchmark catalog.

The project has no setting for another catalog, so this entry point, used only by the benchmark,
points the calculator's service at the workload catalog before Django loads; nothing else changes.

    gunicorn -w 1 -b 127.0.0.1:PORT bench.ours_wsgi:application
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinchuang.settings")

import django
from django.core.wsgi import get_wsgi_application

django.setup()  # the calculator's services import models: the app registry must be ready first

import jinchuang.calculator.services as services  # noqa: E402
from bench.ours import benchmark_catalog  # noqa: E402

services.default_catalog = benchmark_catalog  # type: ignore[assignment]

application = get_wsgi_application()
