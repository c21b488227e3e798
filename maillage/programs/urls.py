from __future__ import annotations

from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("programmes/", views.dashboard, name="dashboard"),
    path("programmes/nouveau/", views.program_new, name="new"),
    path("programmes/<int:pk>/", views.detail, name="detail"),
    path("programmes/invitations/<str:token>/", views.invitation, name="invitation"),
    path("programmes/consentement/<str:token>/", views.consent, name="consent"),
    path("mon-compte/consentements/", views.my_consents, name="my_consents"),
    path("programmes/<int:pk>/cloturer/", views.close, name="close"),
    path("programmes/<int:pk>/rouvrir/", views.reopen, name="reopen"),
    path("programmes/<int:pk>/dupliquer/", views.duplicate, name="duplicate"),
    path("programmes/<int:pk>/parametres/", views.edit, name="edit"),
    path("programmes/<int:pk>/volets/ajouter/", views.track_add, name="track_add"),
    path("programmes/<int:pk>/personnes/", views.people, name="people"),
    path("programmes/<int:pk>/personnes/inviter/", views.people_invite, name="people_invite"),
    path("programmes/<int:pk>/roles/<int:role_pk>/retirer/", views.role_remove, name="role_remove"),
    path("programmes/<int:pk>/roles/<int:role_pk>/inviter/", views.role_invite, name="role_invite"),
    path(
        "programmes/<int:pk>/roles/<int:role_pk>/consentement/",
        views.consent_request,
        name="consent_request",
    ),
    path(
        "programmes/<int:pk>/organisations/nouvelle/",
        views.organization_create,
        name="organization_create",
    ),
    path(
        "programmes/<int:pk>/organisations/<int:org_pk>/",
        views.organization_edit,
        name="organization",
    ),
    path("programmes/<int:pk>/personnes/<int:person_pk>/", views.person, name="person"),
    path("programmes/<int:pk>/mon-profil/", views.my_profile, name="my_profile"),
    path("programmes/<int:pk>/equipes/nouvelle/", views.team_create, name="team_create"),
    path("programmes/<int:pk>/equipes/<int:team_pk>/", views.team_edit, name="team"),
    path(
        "programmes/<int:pk>/equipes/<int:team_pk>/dissoudre/",
        views.team_dissolve,
        name="team_dissolve",
    ),
]
