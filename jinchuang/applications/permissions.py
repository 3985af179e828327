"""Who may act on an application: roles with their organisation or department scope."""

from __future__ import annotations

from jinchuang.accounts.models import Role, User, UserRole
from jinchuang.applications.departments import normalise_department
from jinchuang.applications.models import Application, ServiceAgentAssignment
from jinchuang.applications.workflow import STEP_OWNER, Scope, State, Transition


def as_user(actor: User) -> User | None:
    return actor if isinstance(actor, User) and actor.pk is not None and actor.is_active else None


def roles_of(user: User) -> set[Role]:
    return {Role(r) for r in UserRole.objects.filter(user=user).values_list("role", flat=True)}


def reviewer_departments(user: User) -> set[str]:
    rows = UserRole.objects.filter(user=user, role=Role.REVIEWER).values_list("department", flat=True)
    return {normalise_department(d) for d in rows}


def served_organisation_ids(user: User) -> set[int]:
    return set(ServiceAgentAssignment.objects.filter(agent=user).values_list("organisation_id", flat=True))


def in_scope(user: User, role: Role, scope: Scope, application: Application) -> bool:
    if scope is Scope.ANY:
        return True
    if scope is Scope.OWN_ORGANISATION:
        return user.organisation_id is not None and user.organisation_id == application.organisation_id
    if scope is Scope.SERVED_ORGANISATION:
        return ServiceAgentAssignment.objects.filter(organisation_id=application.organisation_id, agent=user).exists()
    if scope is Scope.LEAD_DEPARTMENT:
        return application.lead_department in reviewer_departments(user)
    if scope is Scope.STEP_OWNER:
        owner = STEP_OWNER.get(State(application.state))
        return owner is not None and owner[0] is role and in_scope(user, role, owner[1], application)
    raise AssertionError(scope)


def may_fire(transition: Transition, application: Application, actor: User) -> bool:
    user = as_user(actor)
    if user is None:
        return False
    held = roles_of(user)
    return any(role in held and in_scope(user, role, scope, application) for role, scope in transition.permitted)


def owners_of(application: Application, state: State) -> list[User]:
    """The people responsible for ``application`` while it is in ``state`` (for notices and the clock)."""
    owner = STEP_OWNER.get(state)
    if owner is None:
        return []
    role, scope = owner
    if role is Role.APPLICANT:
        return list(User.objects.filter(organisation_id=application.organisation_id, roles__role=Role.APPLICANT))
    if role is Role.SERVICE_AGENT:
        assignment = ServiceAgentAssignment.objects.filter(organisation_id=application.organisation_id).first()
        return [assignment.agent] if assignment else []
    holders = User.objects.filter(roles__role=role, is_active=True).distinct()
    if scope is Scope.LEAD_DEPARTMENT:
        return [u for u in holders.prefetch_related("roles") if application.lead_department in reviewer_departments(u)]
    return list(holders)
