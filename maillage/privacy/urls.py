from __future__ import annotations

from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("confidentialite/", views.policy, name="policy"),
    path("confidentialite/journal/", views.trail, name="trail"),
]
