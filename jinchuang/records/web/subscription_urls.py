"""The policy subscription page under /records/subscriptions/."""

from django.urls import path

from jinchuang.records.web import subscription_views

app_name = "records_subscriptions"

urlpatterns = [path("", subscription_views.subscriptions, name="page")]
