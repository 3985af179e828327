"""ASGI entry point for 晋创通 JinChuang."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinchuang.settings")

application = get_asgi_application()
