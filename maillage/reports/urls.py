from __future__ import annotations

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("programmes/<int:pk>/indicateurs/", views.indicators, name="indicators"),
    path(
        "programmes/<int:pk>/indicateurs/export.<str:fmt>",
        views.indicators_export,
        name="indicators_export",
    ),
    path(
        "programmes/<int:pk>/indicateurs/volets/export.<str:fmt>",
        views.indicators_tracks_export,
        name="indicators_tracks_export",
    ),
    path("programmes/<int:pk>/rapport/", views.report, name="report"),
    path("programmes/<int:pk>/rapport/pdf/", views.report_pdf, name="pdf"),
    path("programmes/<int:pk>/rapport/export.<str:fmt>", views.report_export, name="export"),
    path(
        "programmes/<int:pk>/rapport/recommandations/",
        views.edit_recommendations,
        name="recommendations",
    ),
    path("programmes/<int:pk>/rapport/publier/", views.publish, name="publish"),
    path("programmes/<int:pk>/rapport/nouvelle-version/", views.new_version, name="new_version"),
]
