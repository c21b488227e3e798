from __future__ import annotations

from django.urls import path

from . import views

app_name = "selection"
urlpatterns = [
    path("programmes/<int:pk>/criteres/", views.criteria, name="criteria"),
    path("programmes/<int:pk>/criteres/ajouter/", views.criterion_add, name="criterion_add"),
    path(
        "programmes/<int:pk>/criteres/<int:criterion_pk>/retirer/",
        views.criterion_remove,
        name="criterion_remove",
    ),
    path(
        "programmes/<int:pk>/criteres/<int:criterion_pk>/retablir/",
        views.criterion_restore,
        name="criterion_restore",
    ),
    path("programmes/<int:pk>/candidatures/", views.applications, name="applications"),
    path(
        "programmes/<int:pk>/candidatures/export.<str:fmt>",
        views.applications_export,
        name="applications_export",
    ),
    path("programmes/<int:pk>/candidatures/aviser/", views.notify_all, name="notify_all"),
    path("programmes/<int:pk>/candidatures/<int:app_pk>/", views.application, name="application"),
    path(
        "programmes/<int:pk>/candidatures/<int:app_pk>/export.<str:fmt>",
        views.application_export,
        name="application_export",
    ),
    path(
        "programmes/<int:pk>/candidatures/<int:app_pk>/evaluation/",
        views.review,
        name="review",
    ),
    path("programmes/<int:pk>/candidatures/<int:app_pk>/avis/", views.opinion, name="opinion"),
    path("programmes/<int:pk>/candidatures/<int:app_pk>/decision/", views.decide, name="decide"),
    path("programmes/<int:pk>/candidatures/<int:app_pk>/aviser/", views.notify, name="notify"),
]
