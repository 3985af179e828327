"""The record's pages under /records/."""

from django.urls import path

from jinchuang.records.web import views

app_name = "records"

urlpatterns = [
    path("", views.my_record, name="mine"),
    path("declare/", views.declare, name="declare"),
    path("served/", views.served, name="served"),
    path("<int:organisation_id>/", views.organisation_record, name="organisation"),
    path("<int:organisation_id>/enter/", views.enter, name="enter"),
    path("facts/<int:fact_id>/correct/", views.correct, name="correct"),
    path("facts/<int:fact_id>/verify/", views.verify, name="verify"),
    path("facts/<int:fact_id>/reject/", views.reject, name="reject"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
]
