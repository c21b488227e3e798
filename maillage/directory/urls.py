from __future__ import annotations

from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("reseaux/<int:pk>/annuaire/", views.directory, name="directory"),
    path("reseaux/<int:pk>/annuaire/export.<str:fmt>", views.export, name="export"),
    path("reseaux/<int:pk>/annuaire/options/", views.options, name="options"),
    path("reseaux/<int:pk>/annuaire/nouvelle/", views.organization_new, name="organization_new"),
    path("reseaux/<int:pk>/annuaire/<int:org_pk>/", views.organization, name="organization"),
    path(
        "reseaux/<int:pk>/annuaire/<int:org_pk>/modifier/",
        views.organization_edit,
        name="organization_edit",
    ),
    path(
        "reseaux/<int:pk>/annuaire/<int:org_pk>/visibilite/",
        views.visibility,
        name="visibility",
    ),
    path("reseaux/<int:pk>/annuaire/<int:org_pk>/phase/", views.phase, name="phase"),
    # Open to anyone, without signing in, once the network's staff publish it.
    path("annuaires/<int:pk>/", views.public, name="public"),
]
