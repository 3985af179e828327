"""Errors of the organisation record's services, keyed by the field they concern (Chinese messages)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

NOT_YOURS = _("只能查看和申报本机构的档案")
NOT_SERVED = _("您不负责该机构, 不能核验或录入其事实")
NOT_DECLARED = _("该事实状态为“%(state)s”, 只有待核验的事实可以核验或驳回")
NOT_LIVE = _("该事实已被驳回或更正, 不能再更正")
REASON_REQUIRED = _("请填写驳回理由")
NOTE_REQUIRED = _("请填写核验说明")
DUPLICATE_FACT = _("档案中已有同一事实(%(label)s, %(date)s), 无需重复申报")
UNKNOWN_TYPE = _("未知的事实类型")
NOT_AN_IMPORT_TYPE = _("该事实类型不能通过名单导入")
MAPPING_MISSING = _("请为“%(label)s”选择名单中的列")
COLUMN_NOT_IN_FILE = _("名单中没有列“%(column)s”")
FILE_UNREADABLE = _("无法读取名单文件: %(why)s")
NO_ROWS = _("名单中没有数据行")
TOO_MANY_ROWS = _("名单超过 %(limit)s 行, 请分批导入")
SUBJECT_TOO_LONG = _("对象名称过长")


class RecordError(ValidationError):
    """A request the record's services refuse; ``message_dict`` maps the field to its message."""

    def __init__(self, field: str, message: Any, code: str, params: dict[str, Any] | None = None) -> None:
        super().__init__({field: [ValidationError(message, code=code, params=params)]})
        self.field = field
        self.code = code


class RecordPermissionDenied(PermissionDenied):
    pass
