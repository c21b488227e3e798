from __future__ import annotations

from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("programmes/<int:pk>/suivi/", views.dashboard, name="dashboard"),
    path(
        "programmes/<int:pk>/suivi/groupes/<int:group_pk>/terminer/",
        views.close_group,
        name="close_group",
    ),
    path("programmes/<int:pk>/sante/", views.health, name="health"),
    path("rappels/", views.preferences, name="preferences"),
]
