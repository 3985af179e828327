"""Sending text messages (SMS) — NO SMS GATEWAY IS CONNECTED.

``sms_send`` writes the message to the outbox table (``SmsMessage``, state 待发送) and enqueues the job
``accounts.sms_deliver`` through the one task interface (jinchuang/tasks) in the caller's transaction.
The job hands the message to the configured sender. The only sender today, :class:`OutboxSender`,
marks the message as written to the outbox and logs that it did (phone masked, text not logged): nobody's
phone receives anything. Connecting a gateway means writing a sender with the same ``deliver`` method
and naming it in ``JINCHUANG_SMS_SENDER``; the outbox stays the record of what was sent.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from jinchuang.accounts.models import SmsMessage, SmsState, mask_phone
from jinchuang.tasks.models import Job
from jinchuang.tasks.registry import task
from jinchuang.tasks.services import enqueue

logger = logging.getLogger("jinchuang.sms")

DELIVER = "accounts.sms_deliver"


class SmsSender(Protocol):
    name: str

    def deliver(self, message: SmsMessage) -> None: ...


class OutboxSender:
    """The only sender: the message stays in the outbox (marked 已写入发件箱) and a log line says so."""

    name = "outbox"

    def deliver(self, message: SmsMessage) -> None:
        logger.info(
            "SMS %s to %s written to the outbox (no SMS gateway connected; purpose %s)",
            message.pk,
            mask_phone(message.phone),
            message.purpose,
        )


def sms_sender() -> SmsSender:
    path = getattr(settings, "JINCHUANG_SMS_SENDER", "")
    sender: SmsSender = import_string(path)() if path else OutboxSender()
    return sender


def sms_send(*, phone: str, text: str, purpose: str = "") -> SmsMessage:
    """Queue one message (inside the caller's transaction: it is sent only if that transaction commits)."""
    message = SmsMessage.objects.create(phone=phone, text=text[:300], purpose=purpose[:64])
    enqueue(DELIVER, str(message.pk), {"message": message.pk})
    return message


@task(DELIVER)
def deliver(job: Job, payload: dict[str, Any]) -> dict[str, Any]:
    """Idempotent for its key: a message already delivered is not handed to the sender again."""
    message = SmsMessage.objects.filter(pk=payload["message"]).first()
    if message is None:
        return {"sent": False}
    if message.state == SmsState.OUTBOX:
        return {"sent": True, "again": False}
    sender = sms_sender()
    sender.deliver(message)
    SmsMessage.objects.filter(pk=message.pk, state=SmsState.QUEUED).update(
        state=SmsState.OUTBOX, sent_at=timezone.now(), backend=sender.name
    )
    return {"sent": True, "backend": sender.name}
