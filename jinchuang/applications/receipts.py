"""At submission: the 申报编号, the 查询码 and the printable 申报回执 (PDF), and the message that carries them.

``receipt_issue`` runs inside the submit transition's transaction (services._effect_submit), after the
engine has filled the application: it allocates the number (numbering.py), makes the 查询码 and keeps
only its hash (progress.py), draws the receipt with reportlab (the built-in CID font STSong-Light
renders Chinese without a font file) and stores it, and tells the submitting applicant the number and
the code in an in-app message and an e-mail (sent after commit). A resubmission keeps all three.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from jinchuang.accounts.models import User
from jinchuang.applications.models import Application, Receipt
from jinchuang.applications.notifications import notify
from jinchuang.applications.numbering import number_allocate
from jinchuang.applications.progress import progress_code_hash, progress_code_new
from jinchuang.policy.money import format_fen

FONT = "STSong-Light"
LATIN = "Helvetica"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def amount_text(application: Application) -> str:
    """The amount applied for, citing its clause: the engine's amount, or its legal range when 经评审."""
    if application.review_min_fen is not None and application.review_max_fen is not None:
        return _("经评审确定, 法定区间 %(low)s – %(high)s (依据 %(citation)s)") % {
            "low": format_fen(application.review_min_fen),
            "high": format_fen(application.review_max_fen),
            "citation": application.citation,
        }
    return _("%(amount)s (依据 %(citation)s)") % {
        "amount": format_fen(application.engine_max_fen),
        "citation": application.citation,
    }


def receipt_rows(application: Application, code: str) -> list[tuple[str, str]]:
    submitted = timezone.localtime(application.submitted_at) if application.submitted_at else None
    return [
        (_("申报编号"), application.number),
        (_("申报机构"), application.organisation.name),
        (_("统一社会信用代码"), application.organisation.unified_social_credit_code or _("未登记")),
        (_("申报措施"), application.title),
        (_("政策条款"), application.citation),
        (_("申请金额"), amount_text(application)),
        (_("提交时间"), f"{submitted:%Y-%m-%d %H:%M}" if submitted else ""),
        (_("查询码"), code),
    ]


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if pdfmetrics.stringWidth(line + ch, FONT, size) > width and line:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line]


def receipt_pdf(application: Application, code: str) -> bytes:
    """The 申报回执 as PDF bytes (A4, one page, no QR code)."""
    font = _font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{_('申报回执')} {application.number}")
    pdf.setSubject(application.number)
    pdf.setAuthor(_("晋创通"))
    width, height = A4
    left, y = 25 * mm, height - 30 * mm
    pdf.setFont(font, 18)
    pdf.drawCentredString(width / 2, y, _("晋创通 · 申报回执"))
    y -= 16 * mm
    label_width, size = 38 * mm, 11
    for label, value in receipt_rows(application, code):
        pdf.setFont(font, size)
        pdf.drawString(left, y, label)
        latin = value.isascii()
        lines = [value] if latin else _wrap(value, width - 2 * left - label_width, size)
        for line in lines:
            pdf.setFont(LATIN if latin else font, size + (2 if label == _("查询码") else 0))
            pdf.drawString(left + label_width, y, line)
            y -= 7 * mm
        y -= 2 * mm
    y -= 6 * mm
    pdf.setFont(font, 10)
    notes = [
        _("凭申报编号和查询码, 无需登录即可在晋创通「进度查询」页面查看办理状态、当前环节和时间。"),
        _("查询码只显示在本回执和提交时发给您的消息中, 请妥善保管, 不要告诉他人。"),
        _("本回执证明申报已提交, 金额以审定结果为准。"),
    ]
    for note in notes:
        for line in _wrap(note, width - 2 * left, 10):
            pdf.drawString(left, y, line)
            y -= 6 * mm
    pdf.setFont(font, 9)
    pdf.drawString(left, 20 * mm, _("出具时间") + f": {timezone.localtime():%Y-%m-%d %H:%M}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def receipt_issue(*, application: Application, actor: User, now: dt.datetime) -> str | None:
    """Give a first submission its number, 查询码 and receipt and tell the applicant (same transaction).

    Returns the 查询码 made now, or None when the application already had them (a resubmission)."""
    if not application.number:
        application.number = number_allocate(valley=application.valley, year=timezone.localtime(now).year)
    if application.progress_code_hash:
        return None
    code = progress_code_new()
    application.progress_code_hash = progress_code_hash(application.number, code)
    application.save(update_fields=["number", "progress_code_hash"])
    Receipt.objects.update_or_create(
        application=application, defaults={"pdf": receipt_pdf(application, code), "issued_at": now}
    )
    text = _(
        "申报《%(title)s》已提交, 申报编号 %(number)s, 查询码 %(code)s。"
        "凭申报编号和查询码可在「进度查询」页面查询办理进度(无需登录); 回执可在申报页面下载。"
    ) % {"title": application.title, "number": application.number, "code": code}
    notify(users=[actor], text=text, application=application)
    return code
