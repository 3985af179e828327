from django.urls import path

from jinchuang.calculator import views

app_name = "calculator"

urlpatterns = [
    path("", views.calculator, name="page"),
    path("event-row/", views.event_row, name="event_row"),
]
