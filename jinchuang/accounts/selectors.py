"""Reads for organisations, users and roles."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from jinchuang.accounts.models import Organisation, Role, User, UserRole
from jinchuang.policy.vocabulary import Valley


@dataclass(frozen=True)
class HeldRole:
    role: Role
    department: str

    @property
    def label(self) -> str:
        return str(self.role.label)


def user_roles(*, user: User) -> list[HeldRole]:
    """The roles a user holds, in the order of :class:`Role`."""
    order = {role: index for index, role in enumerate(Role)}
    held = [HeldRole(role=Role(r.role), department=r.department) for r in UserRole.objects.filter(user=user)]
    return sorted(held, key=lambda h: order[h.role])


def user_has_role(*, user: User, role: Role) -> bool:
    return UserRole.objects.filter(user=user, role=role).exists()


def organisation_list(*, valley: Valley | None = None) -> QuerySet[Organisation]:
    organisations = Organisation.objects.all()
    if valley is not None:
        organisations = organisations.filter(valley=valley)
    return organisations


def users_with_role(*, role: Role) -> QuerySet[User]:
    return User.objects.filter(roles__role=role).distinct()
