"""What the web pages read."""

from __future__ import annotations

from dataclasses import dataclass

from jinchuang.accounts.models import Organisation, User
from jinchuang.accounts.selectors import HeldRole, user_roles


@dataclass(frozen=True)
class MyProfile:
    display_name: str
    username: str
    masked_phone: str
    organisation: Organisation | None
    roles: list[HeldRole]


def my_profile(*, user: User) -> MyProfile:
    return MyProfile(
        display_name=user.get_full_name(),
        username=user.get_username(),
        masked_phone=user.masked_phone,
        organisation=user.organisation,
        roles=user_roles(user=user),
    )
