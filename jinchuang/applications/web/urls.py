from django.urls import path

from jinchuang.applications.web import applicant_views
from jinchuang.applications.web.views import (
    apply,
    cases,
    ledger,
    notice_views,
    notifications,
    offers,
    public,
    queue_views,
    review_views,
)

app_name = "applications"

urlpatterns = [
    path("", applicant_views.my_applications, name="mine"),
    path("apply/", apply.apply_start, name="apply_start"),
    path("apply/<slug:measure_id>/", apply.apply_form, name="apply"),
    path("apply/<slug:measure_id>/draft/", apply.autosave, name="autosave"),
    path("apply/<slug:measure_id>/submit/", apply.submit, name="submit"),
    path("apply/<slug:measure_id>/preview/", applicant_views.preview, name="preview"),
    path("apply/<slug:measure_id>/event-row/", applicant_views.event_row, name="apply_event_row"),
    path("progress/", applicant_views.progress, name="progress"),
    path("<int:pk>/receipt.pdf", applicant_views.receipt_download, name="receipt"),
    path("queue/", queue_views.queue, name="queue"),
    path("offers/", offers.offer_list, name="offers"),
    path("offers/new/", offers.offer_new, name="offer_new"),
    path("offers/<int:pk>/confirm/", offers.offer_confirm_view, name="offer_confirm"),
    path("instalments/<int:instalment_id>/pay/", queue_views.pay, name="pay"),
    path("public-notice/", public.notices, name="public_notice"),
    path("public-notice/<int:pk>/objection/", public.objection, name="objection"),
    path("public-notice/archive/", notice_views.archive, name="public_notice_archive"),
    path("public-notice/<int:pk>/objection/verify/", notice_views.objection_anonymous, name="objection_anonymous"),
    path("ledger/", ledger.ledger, name="ledger"),
    path("ledger/export.xlsx", ledger.ledger_export, name="ledger_export"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notification_read, name="notifications_read"),
    path("<int:pk>/", cases.detail, name="detail"),
    path("<int:pk>/edit/", apply.draft_edit, name="draft_edit"),
    path("<int:pk>/resubmit/", apply.resubmit, name="resubmit"),
    path("<int:pk>/materials/", apply.upload, name="upload"),
    path("<int:pk>/materials/<int:material_id>/", cases.material_download, name="material"),
    path("<int:pk>/act/<slug:name>/", review_views.act, name="act"),
    path("<int:pk>/score/", review_views.score, name="score"),
    path("<int:pk>/declare/", review_views.declare, name="declare"),
    path("<int:pk>/experts/", review_views.add_experts, name="add_experts"),
    path("<int:pk>/facts/<int:fact_id>/<slug:decision>/", cases.fact_decide, name="fact_decide"),
    path("<int:pk>/objections/<int:objection_id>/answer/", review_views.objection_answer, name="objection_answer"),
]
