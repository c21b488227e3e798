from __future__ import annotations

from django.urls import path

from . import views

app_name = "tools"
urlpatterns = [
    path("programmes/<int:pk>/groupes/<int:group_pk>/outils/", views.group_tools, name="group"),
    path("programmes/<int:pk>/outils/", views.program_tools, name="program"),
    path(
        "programmes/<int:pk>/outils/export.<str:fmt>", views.program_export, name="program_export"
    ),
    path("programmes/<int:pk>/outils/partages/", views.reusable_tools, name="reusable"),
    path(
        "programmes/<int:pk>/outils/<int:tool_pk>/telecharger/",
        views.download,
        name="download",
    ),
    path(
        "programmes/<int:pk>/outils/<int:tool_pk>/confirmer-public/",
        views.confirm_public,
        name="confirm_public",
    ),
    path(
        "programmes/<int:pk>/outils/<int:tool_pk>/completer/",
        views.complete,
        name="complete",
    ),
    path("programmes/<int:pk>/outils/<int:tool_pk>/retirer/", views.remove, name="remove"),
]
