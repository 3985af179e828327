"""What the record announces: the business areas react (the record imports none of them).

``facts_changed`` is sent after the commit of a change that may change what an organisation is
entitled to (a fact verified, imported, entered by an officer, superseded, rejected, or a platform
award recorded), with ``organisation_ids`` and ``reason``."""

from __future__ import annotations

from django.dispatch import Signal

facts_changed = Signal()
