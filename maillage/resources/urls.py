from __future__ import annotations

from django.urls import path

from . import views

app_name = "resources"

P = "reseaux/<int:pk>/ressources/"

urlpatterns = [
    path(P, views.home, name="home"),
    path(P + "offres/nouvelle/", views.resource_new, {"direction": "offer"}, name="offer_new"),
    path(P + "besoins/nouveau/", views.resource_new, {"direction": "need"}, name="need_new"),
    path(P + "<int:res_pk>/", views.resource, name="resource"),
    path(P + "<int:res_pk>/modifier/", views.resource_edit, name="resource_edit"),
    path(P + "<int:res_pk>/etat/", views.resource_status, name="resource_status"),
    path(P + "jumelages/<int:prop_pk>/entente/", views.proposal_agree, name="proposal_agree"),
    path(P + "jumelages/<int:prop_pk>/decliner/", views.proposal_decline, name="proposal_decline"),
    path(P + "ententes/<int:agr_pk>/", views.agreement, name="agreement"),
    path(P + "ententes/<int:agr_pk>/modifier/", views.agreement_edit, name="agreement_edit"),
    path(P + "ententes/<int:agr_pk>/signer/", views.agreement_sign, name="agreement_sign"),
    path(P + "ententes/<int:agr_pk>/utilisations/", views.use_new, name="use_new"),
    path(
        P + "ententes/<int:agr_pk>/utilisations/<int:use_pk>/retirer/",
        views.use_delete,
        name="use_delete",
    ),
    path(P + "ententes/<int:agr_pk>/terminer/", views.agreement_end, name="agreement_end"),
    path(P + "indicateurs/", views.feeds, name="feeds"),
]
