"""The one registry of audited action names, for every app, in the form ``<domain>.<verb>``.

Every ``audit_record(action=...)`` passes a member of :class:`AuditAction`; a new action is added
here (``tests/test_one_definition.py`` fails on an action name written anywhere else).  The values
are what the audit log stores, so an existing value is never renamed.
"""

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
    PHONE_CODE_SEND = "accounts.phone_code_send"  # a one-time code sent to a phone (the code is never logged)

    API_TOKEN_CREATE = "applications_api.token_create"
    API_TOKEN_REVOKE = "applications_api.token_revoke"

    APPLICATION_DRAFT_SAVE = "applications.draft_save"
    MATERIAL_UPLOAD = "applications.material_upload"
    EXPERT_SCORE = "applications.expert_score"
    EXPERT_DECLARE = "applications.expert_declare"  # 回避声明: no conflict of interest
    EXPERT_RECUSE = "applications.expert_recuse"  # 回避: a conflict declared, off the case
    EXPERT_ASSIGN = "applications.expert_assign"  # an expert added to a case in 专家评审
    OBJECTION_FILE = "applications.objection_file"
    OBJECTION_RESOLVE = "applications.objection_resolve"
    INSTALMENT_PAY = "applications.instalment_pay"
    APPLICATION_ESCALATE = "applications.escalate"
    OFFER_CREATE = "applications.offer_create"
    OFFER_CONFIRM = "applications.offer_confirm"
    # one per workflow transition (jinchuang/applications/workflow.py), see transition()
    APPLICATION_SUBMIT = "applications.submit"
    APPLICATION_ACCEPT = "applications.accept"
    APPLICATION_RETURN = "applications.return"
    APPLICATION_RESUBMIT = "applications.resubmit"
    APPLICATION_PASS_INITIAL_REVIEW = "applications.pass_initial_review"
    APPLICATION_SEND_TO_EXPERTS = "applications.send_to_experts"
    APPLICATION_PASS_DEPARTMENT_REVIEW = "applications.pass_department_review"
    APPLICATION_COMPLETE_EXPERT_REVIEW = "applications.complete_expert_review"
    APPLICATION_APPROVE = "applications.approve"
    APPLICATION_END_PUBLIC_NOTICE = "applications.end_public_notice"
    APPLICATION_COMPLETE_PAYMENT = "applications.complete_payment"
    APPLICATION_CLOSE = "applications.close"
    APPLICATION_REJECT = "applications.reject"
    APPLICATION_WITHDRAW = "applications.withdraw"

    # the organisation record (jinchuang/records)
    EVIDENCE_UPLOAD = "records.evidence_upload"
    FACT_DECLARE = "records.fact_declare"
    FACT_ENTER = "records.fact_enter"
    FACT_VERIFY = "records.fact_verify"
    FACT_REJECT = "records.fact_reject"
    FACT_SUPERSEDE = "records.fact_supersede"
    FACT_WITHDRAW = "records.fact_withdraw"
    FACT_PLATFORM = "records.fact_platform"
    FACT_IMPORT = "records.fact_import"
    CONTACT_SAVE = "records.contact_save"
    IMPORT_START = "records.import_start"
    IMPORT_DONE = "records.import_done"
    IMPORT_FAILED = "records.import_failed"
    SUBSCRIPTION_SAVE = "records.subscription_save"
    CATALOG_PUBLISH = "records.catalog_publish"
    SUBSCRIPTION_NOTIFY = "records.subscription_notify"

    SIMULATION_RUN_START = "simulations.run_start"
    SIMULATION_RUN_DONE = "simulations.run_done"
    SIMULATION_RUN_FAILED = "simulations.run_failed"

    # the task interface (jinchuang/tasks): one per job state change
    TASK_ENQUEUE = "tasks.enqueue"
    TASK_REARM = "tasks.rearm"
    TASK_CLAIM = "tasks.claim"
    TASK_DONE = "tasks.done"
    TASK_RETRY = "tasks.retry"
    TASK_FAIL = "tasks.fail"

    @classmethod
    def transition(cls, name: str) -> "AuditAction":
        """The action recorded for the workflow transition ``name`` (ValueError if it is not registered)."""
        return cls(f"applications.{name}")
