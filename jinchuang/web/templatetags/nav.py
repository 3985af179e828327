"""The site's navigation: the public items one click from every page, and the signed-in user's items by role.

``{% load nav %}{% site_nav as nav %}`` in web/base.html; ``nav.public`` and ``nav.personal`` are lists of
:class:`NavItem` (label, URL, test id, current page, unread badge).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jinchuang.accounts.models import Role, User
from jinchuang.accounts.selectors import user_roles
from jinchuang.applications.selectors import notifications_unread

register = template.Library()


@dataclass(frozen=True)
class NavSpec:
    key: str  # the test id is nav-<key>
    label: Promise
    url_name: str


PUBLIC = (
    NavSpec("calculator", _("政策计算器"), "calculator:page"),
    NavSpec("policies", _("政策库"), "policies:library"),
    NavSpec("compare", _("五市对比"), "policies:compare"),
    NavSpec("settle", _("选址对比"), "calculator:settle"),
    NavSpec("public-notice", _("公示"), "applications:public_notice"),
    NavSpec("progress", _("进度查询"), "applications:progress"),
)

WORKBENCH = NavSpec("workbench", _("工作台"), "web:workbench")
RECORDS = NavSpec("records", _("机构档案"), "records:mine")
APPLICATIONS = NavSpec("applications", _("我的申报"), "applications:mine")
OFFERS = NavSpec("offers", _("免申即享"), "applications:offers")
QUEUE = NavSpec("queue", _("待办"), "applications:queue")
LEDGER = NavSpec("ledger", _("台账"), "applications:ledger")
SIMULATIONS = NavSpec("simulations", _("预算模拟"), "simulations:page")
NOTIFICATIONS = NavSpec("notifications", _("消息"), "applications:notifications")
ADMIN_SITE = NavSpec("admin", _("管理后台"), "admin:index")

#: what each role adds to the navigation (工作台 is everyone's first item)
ROLE_ITEMS: dict[Role, tuple[NavSpec, ...]] = {
    Role.APPLICANT: (RECORDS, APPLICATIONS, OFFERS, NOTIFICATIONS),
    Role.SERVICE_AGENT: (QUEUE, NOTIFICATIONS),
    Role.REVIEWER: (QUEUE, NOTIFICATIONS),
    Role.EXPERT: (QUEUE, NOTIFICATIONS),
    Role.FINANCE: (LEDGER,),
    Role.POLICY_MAKER: (SIMULATIONS,),
    Role.ADMIN: (QUEUE, LEDGER, SIMULATIONS, NOTIFICATIONS),
}
#: the order of the personal items, whatever the order of the roles
ORDER = (WORKBENCH, RECORDS, APPLICATIONS, OFFERS, QUEUE, LEDGER, SIMULATIONS, NOTIFICATIONS, ADMIN_SITE)


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str
    current: bool = False
    badge: int = 0


@dataclass(frozen=True)
class SiteNav:
    public: list[NavItem]
    personal: list[NavItem] = field(default_factory=list)
    unread: int = 0  # unread messages (the badge of 消息, repeated on the menu button)


def personal_specs(roles: set[Role], *, is_staff: bool) -> list[NavSpec]:
    """The signed-in items for a user holding ``roles``, in the navigation's order, each once."""
    wanted = {WORKBENCH}
    for role in roles:
        wanted.update(ROLE_ITEMS.get(role, ()))
    if is_staff:
        wanted.add(ADMIN_SITE)
    return [spec for spec in ORDER if spec in wanted]


def _current_key(path: str, urls: dict[str, str]) -> str:
    """The item whose URL is the longest prefix of the current path (the home page only matches itself)."""
    best, length = "", 0
    for key, url in urls.items():
        if (path == url or (url != "/" and path.startswith(url))) and len(url) > length:
            best, length = key, len(url)
    return best


@register.simple_tag(takes_context=True)
def site_nav(context: Any) -> SiteNav:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    path = getattr(request, "path", "")
    specs = list(PUBLIC)
    personal: list[NavSpec] = []
    unread = 0
    if isinstance(user, User) and user.is_authenticated:
        roles = {held.role for held in user_roles(user=user)}
        personal = personal_specs(roles, is_staff=user.is_staff)
        if NOTIFICATIONS in personal:
            unread = notifications_unread(user=user).count()
    urls = {spec.key: reverse(spec.url_name) for spec in [*specs, *personal]}
    current = _current_key(path, urls)

    def item(spec: NavSpec) -> NavItem:
        badge = unread if spec is NOTIFICATIONS else 0
        return NavItem(spec.key, str(spec.label), urls[spec.key], spec.key == current, badge)

    return SiteNav(public=[item(s) for s in specs], personal=[item(s) for s in personal], unread=unread)
