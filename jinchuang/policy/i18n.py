"""Translation for the engine's own sentences, without making the engine a Django app.

The engine runs in three places: inside the Django site (pages and API, a language active per request), in the
``jinchuang`` command and in the bench's venv (no settings, perhaps no Django at all), and it imports no Django
(the import-linter contract in pyproject.toml).  The site plugs its translation in when its apps are loaded
(:func:`install`, called by ``jinchuang.policies.apps.PoliciesConfig.ready``); until then, and wherever Django
does not run, :func:`gettext` returns the Chinese message itself, so the command and the bench print exactly
what they printed before.  Under the default language (zh-hans) Django's gettext returns the msgid unchanged,
so Chinese output stays byte-identical.

Call it where the sentence is built for the person reading it (an error raised while a request runs, an
explanation written for a page).  A text kept across requests (a cache, a database row) is marked with
``gettext_noop`` instead and translated where it is shown, or its cache is keyed by :func:`active_language`.
The English is in the central catalogue ``jinchuang/locale/en/LC_MESSAGES/django.po`` (docs/translations.md).
"""

from __future__ import annotations

from collections.abc import Callable

_translate: Callable[[str], str] | None = None
_language: Callable[[], str | None] | None = None


def install(translate: Callable[[str], str], language: Callable[[], str | None]) -> None:
    """Use ``translate`` (Django's gettext) and ``language`` (Django's get_language) from now on."""
    global _translate, _language
    _translate, _language = translate, language


def gettext_noop(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


def gettext(message: str) -> str:
    """``message`` in the active language once the site has installed its translation, else the Chinese itself."""
    return message if _translate is None else _translate(message)


def active_language() -> str:
    """The active language's code ('zh-hans', 'en'), for keying caches; '' when no translation is installed."""
    return "" if _language is None else _language() or ""
