"""Who may see and act on an organisation's record: its members; the officers who serve it.

The record sits below the business areas, so it does not know their assignments; each area that gives
officers a scope registers a provider here (``register_served``) from its AppConfig.ready — e.g. the
applications area: a 服务专员's assigned organisations, a reviewer's department's applicants."""

from __future__ import annotations

from collections.abc import Callable

from jinchuang.accounts.models import Organisation, Role, User, UserRole

ServedProvider = Callable[[User], set[int]]
_PROVIDERS: list[ServedProvider] = []
OFFICER_ROLES = frozenset({Role.SERVICE_AGENT, Role.REVIEWER, Role.ADMIN})
#: roles that may upload a department's list (the department vouches for its rows)
IMPORT_ROLES = frozenset({Role.REVIEWER, Role.ADMIN})


def register_served(provider: ServedProvider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def active_user(actor: object) -> User | None:
    return actor if isinstance(actor, User) and actor.pk is not None and actor.is_active else None


def roles_of(user: User) -> set[Role]:
    return {Role(r) for r in UserRole.objects.filter(user=user).values_list("role", flat=True)}


def served_organisation_ids(user: User) -> set[int] | None:
    """The organisations an officer serves; None means all (a platform administrator)."""
    roles = roles_of(user)
    if Role.ADMIN in roles:
        return None
    ids: set[int] = set()
    if roles & OFFICER_ROLES:
        for provider in _PROVIDERS:
            ids |= provider(user)
    return ids


def is_member(user: User, organisation: Organisation) -> bool:
    return user.organisation_id is not None and user.organisation_id == organisation.pk


def may_officiate(user: User, organisation: Organisation) -> bool:
    """May verify, reject or enter facts on the organisation's record."""
    served = served_organisation_ids(user)
    return served is None or organisation.pk in served


def may_read(user: User, organisation: Organisation) -> bool:
    return is_member(user, organisation) or (bool(roles_of(user) & OFFICER_ROLES) and may_officiate(user, organisation))


def may_import(user: User) -> bool:
    return bool(roles_of(user) & IMPORT_ROLES)
