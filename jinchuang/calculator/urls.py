from django.urls import path

from jinchuang.calculator import settle_views, views

app_name = "calculator"

urlpatterns = [
    path("", views.calculator, name="page"),
    path("event-row/", views.event_row, name="event_row"),
    path("examples/", views.examples, name="examples"),
    path("settle/", settle_views.where_to_settle, name="settle"),
]
