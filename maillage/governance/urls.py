from __future__ import annotations

from django.urls import path

from . import process_views, views

app_name = "governance"

G = "reseaux/<int:pk>/gouvernance/"

urlpatterns = [
    path(G, views.home, name="home"),
    path(G + "modeles/nouveau/", views.version_new, name="version_new"),
    path(G + "modeles/<int:version_pk>/", views.version, name="version"),
    path(G + "modeles/<int:version_pk>/schema.svg", views.version_svg, name="version_svg"),
    path(G + "modeles/<int:version_pk>/modifier/", views.version_edit, name="version_edit"),
    path(G + "modeles/<int:version_pk>/adopter/", views.version_adopt, name="version_adopt"),
    path(G + "modeles/<int:version_pk>/supprimer/", views.version_delete, name="version_delete"),
    path(
        G + "modeles/<int:version_pk>/instances/nouvelle/",
        views.instance_new,
        name="instance_new",
    ),
    path(G + "modeles/<int:version_pk>/liens/nouveau/", views.link_add, name="link_add"),
    path(G + "liens/<int:link_pk>/retirer/", views.link_remove, name="link_remove"),
    path(G + "instances/<int:instance_pk>/", views.instance, name="instance"),
    path(G + "instances/<int:instance_pk>/modifier/", views.instance_edit, name="instance_edit"),
    path(G + "instances/<int:instance_pk>/retirer/", views.instance_remove, name="instance_remove"),
    path(G + "instances/<int:instance_pk>/sieges/", views.seat_set, name="seat_set"),
    path(G + "instances/<int:instance_pk>/mandats/", views.holder_add, name="holder_add"),
    path(G + "sieges/<int:seat_pk>/retirer/", views.seat_remove, name="seat_remove"),
    path(G + "mandats/<int:holder_pk>/retirer/", views.holder_remove, name="holder_remove"),
    path(
        G + "instances/<int:instance_pk>/rencontres/nouvelle/",
        process_views.meeting_new,
        name="meeting_new",
    ),
    path(G + "rencontres/<int:meeting_pk>/", process_views.meeting, name="meeting"),
    path(
        G + "rencontres/<int:meeting_pk>/decisions/",
        process_views.decision_add,
        name="decision_add",
    ),
    path(
        G + "decisions/<int:decision_pk>/statut/",
        process_views.decision_status,
        name="decision_status",
    ),
    path(G + "suivis/", process_views.follow_ups, name="follow_ups"),
    path(G + "idees/", process_views.ideas, name="ideas"),
    path(G + "idees/<int:idea_pk>/rejoindre/", process_views.idea_join, name="idea_join"),
    path(G + "idees/<int:idea_pk>/equipe/", process_views.idea_team, name="idea_team"),
    path(G + "differends/", process_views.disagreements, name="disagreements"),
    path(G + "differends/<int:dis_pk>/", process_views.disagreement, name="disagreement"),
    path(
        G + "differends/<int:dis_pk>/etape/",
        process_views.disagreement_step,
        name="disagreement_step",
    ),
]
