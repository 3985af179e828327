"""Translation for the engine's own sentences, without making the engine a Django app.

The engine runs in three places: inside the Django site (pages and API, a language active per request), in the
``jinchuang`` command and in the bench's venv (no settings, perhaps no Django at all).  ``gettext`` here is
Django's ``gettext`` when Django's settings are configured and its apps are loaded, and the Chinese message
itself otherwise, so the command and the bench print exactly what they printed before.  Under the default
language (zh-hans) Django's gettext returns the msgid unchanged, so Chinese output stays byte-identical.

Call it where the sentence is built for the person reading it (an error raised while a request runs, an
explanation written for a page).  A text kept across requests (a cache, a database row) is marked with
``gettext_noop`` instead and translated where it is shown, or its cache is keyed by the active language.
The English is in the central catalogue ``jinchuang/locale/en/LC_MESSAGES/django.po`` (docs/translations.md).
"""

from __future__ import annotations

from collections.abc import Callable


def gettext_noop(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


_READY: Callable[[str], str] | None = None


def _django_gettext() -> Callable[[str], str] | None:
    """Django's gettext once Django's settings are configured and its apps loaded (then remembered), else None."""
    global _READY
    if _READY is not None:
        return _READY
    try:
        from django.apps import apps
        from django.conf import settings
        from django.utils.translation import gettext as django_gettext
    except ImportError:  # the bench venv may have no Django
        return None
    if not settings.configured or not apps.ready:
        return None
    _READY = django_gettext
    return _READY


def gettext(message: str) -> str:
    """``message`` in the active language when Django runs, else the Chinese ``message`` itself."""
    translate = _django_gettext()
    return message if translate is None else translate(message)


def active_language() -> str:
    """The active language's code ('zh-hans', 'en'), for keying caches; '' when Django does not run."""
    if _django_gettext() is None:
        return ""
    from django.utils.translation import get_language

    return get_language() or ""
