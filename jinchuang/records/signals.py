"""What the record announces: the business areas react (the record imports none of them).

``facts_changed`` is sent after the commit of a change that may change what an organisation is
entitled to (a fact verified, imported, entered by an officer, superseded, rejected, or a platform
award recorded), with ``organisation_ids`` and ``reason``.

``policy_news`` is sent after commit when a published change of the policy catalog concerns a subscribed
organisation (measures it may qualify for), with ``organisation_id``, ``text`` (Chinese) and ``link``;
the areas that notify people connect to it."""

from __future__ import annotations

from django.dispatch import Signal

facts_changed = Signal()
policy_news = Signal()
