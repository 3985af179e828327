"""Names of audited actions. Later apps add their own, in the form ``<domain>.<verb>``."""

from enum import StrEnum


class AuditAction(StrEnum):
    LOGIN = "auth.login"
    LOGOUT = "auth.logout"
    LOGIN_FAILED = "auth.login_failed"
    ORGANISATION_CREATE = "accounts.organisation_create"
    ORGANISATION_UPDATE = "accounts.organisation_update"
    USER_CREATE = "accounts.user_create"
    USER_UPDATE = "accounts.user_update"
    USER_ROLE_GRANT = "accounts.user_role_grant"
    USER_ROLE_REVOKE = "accounts.user_role_revoke"
