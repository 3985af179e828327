"""Settings of the simulation app, each with its default (settings.py is not edited for them)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings


def populations_dir() -> Path:
    """Where populations live: ``var/populations/<name>/`` unless ``JINCHUANG_POPULATIONS_DIR`` says otherwise."""
    configured = getattr(settings, "JINCHUANG_POPULATIONS_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "populations"


def run_synchronously() -> bool:
    """``JINCHUANG_SIMULATIONS_SYNC=True`` runs a simulation inside the request that starts it."""
    return bool(getattr(settings, "JINCHUANG_SIMULATIONS_SYNC", False))


def stale_after() -> dt.timedelta:
    """A running simulation whose heartbeat is older than this is picked up again."""
    return dt.timedelta(seconds=int(getattr(settings, "JINCHUANG_SIMULATIONS_STALE_SECONDS", 120)))
