"""Our Django application (the real one, every middleware included) serving the benchmark catalog.

The project has no setting for another catalog, so this entry point, used only by the benchmark,
points the calculator's service at the workload catalog before Django loads; nothing else changes.

    gunicorn -w 1 -b 127.0.0.1:PORT bench.ours_wsgi:application
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinchuang.settings")

from django.core.wsgi import get_wsgi_application

import jinchuang.calculator.services as services
from bench.ours import benchmark_catalog

services.default_catalog = benchmark_catalog  # type: ignore[assignment]

application = get_wsgi_application()
