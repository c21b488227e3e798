from __future__ import annotations

from django.urls import path

from . import sharing_views, staff_views, views

app_name = "measurement"

urlpatterns = [
    path("reseaux/", views.network_list, name="list"),
    path("reseaux/nouveau/", views.network_new, name="new"),
    path("reseaux/invitations/<str:token>/", views.invitation, name="invitation"),
    path("reseaux/<int:pk>/", views.network, name="network"),
    path("reseaux/<int:pk>/export.<str:fmt>", views.export, name="export"),
    path(
        "reseaux/<int:pk>/membres/chiffres/export.<str:fmt>",
        views.member_export,
        name="member_export",
    ),
    path("reseaux/<int:pk>/chiffres/mettre-a-jour/", views.refresh, name="refresh"),
    path("reseaux/<int:pk>/chiffres/avancement/", views.refresh_status, name="refresh_status"),
    path("reseaux/<int:pk>/indicateurs/nouveau/", views.indicator_new, name="indicator_new"),
    path("reseaux/<int:pk>/indicateurs/<int:ind_pk>/plan/", views.plan, name="plan"),
    path(
        "reseaux/<int:pk>/indicateurs/<int:ind_pk>/plan/export.<str:fmt>",
        views.plan_export,
        name="plan_export",
    ),
    path("reseaux/<int:pk>/indicateurs/<int:ind_pk>/saisie/", views.enter, name="enter"),
    path(
        "reseaux/<int:pk>/indicateurs/<int:ind_pk>/saisie/export.<str:fmt>",
        views.enter_export,
        name="enter_export",
    ),
    # The backbone staff run the network: members and roles.
    path("reseaux/<int:pk>/membres/", staff_views.members, name="members"),
    path(
        "reseaux/<int:pk>/membres/export.<str:fmt>",
        staff_views.members_export,
        name="members_export",
    ),
    path(
        "reseaux/<int:pk>/membres/<int:member_pk>/retirer/",
        staff_views.member_remove,
        name="member_remove",
    ),
    path("reseaux/<int:pk>/roles/", staff_views.roles, name="roles"),
    path("reseaux/<int:pk>/roles/export.<str:fmt>", staff_views.roles_export, name="roles_export"),
    path(
        "reseaux/<int:pk>/roles/<int:role_pk>/retirer/",
        staff_views.role_remove,
        name="role_remove",
    ),
    path(
        "reseaux/<int:pk>/roles/<int:role_pk>/inviter/",
        staff_views.role_invite,
        name="role_invite",
    ),
    # A program's coordinators share it with a network (their consent) or withdraw it.
    path("programmes/<int:pk>/reseaux/", sharing_views.program_networks, name="program_networks"),
    path(
        "programmes/<int:pk>/reseaux/<int:member_pk>/partager/",
        sharing_views.program_share,
        name="program_share",
    ),
    path(
        "programmes/<int:pk>/reseaux/<int:member_pk>/retirer/",
        sharing_views.program_unshare,
        name="program_unshare",
    ),
]
