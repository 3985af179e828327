"""WSGI entry point for 晋创通 JinChuang."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinchuang.settings")

application = get_wsgi_application()
