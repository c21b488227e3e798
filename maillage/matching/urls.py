from __future__ import annotations

from django.urls import path

from . import views, views_speeddating

app_name = "matching"
base = "programmes/<int:pk>/jumelage/"
urlpatterns = [
    path(base, views.home, name="home"),
    path(f"{base}reglages/", views.settings_update, name="settings"),
    path(f"{base}lancer/", views.run, name="run"),
    path(f"{base}executions/<int:run_pk>/etat/", views.run_status, name="run_status"),
    path(f"{base}paires/imposer/", views.lock, name="lock"),
    path(f"{base}paires/interdire/", views.forbid, name="forbid"),
    path(f"{base}paires/deplacer/", views.move, name="move"),
    path(f"{base}paires/retirer/", views.constraint_remove, name="unconstrain"),
    path(f"{base}paires/tout-retirer/", views.constraints_clear, name="unconstrain_all"),
    path(f"{base}conflits/", views.exclusion_add, name="exclusion_add"),
    path(f"{base}conflits/retirer/", views.exclusion_remove, name="exclusion_remove"),
    path(f"{base}accepter/", views.accept, name="accept"),
    path(f"{base}accepter-tout/", views.accept_all, name="accept_all"),
    path(f"{base}donnees.json", views.run_inputs, name="run_inputs"),
    # Self-matching: the participants' pages, then the coordinator's.
    path(f"{base}profils/", views.profiles, name="profiles"),
    path(f"{base}profils/demander/", views.request_send, name="request_send"),
    path(f"{base}profils/<int:card_pk>/photo/", views.card_photo, name="card_photo"),
    path(f"{base}ma-fiche/", views.my_card, name="my_card"),
    path(f"{base}mes-demandes/", views.my_requests, name="my_requests"),
    path(f"{base}demandes/", views.requests, name="requests"),
    path(f"{base}demandes/<int:req_pk>/repondre/", views.request_answer, name="request_answer"),
    path(f"{base}demandes/<int:req_pk>/retirer/", views.request_withdraw, name="request_withdraw"),
    path(f"{base}demandes/approuver/", views.request_approve, name="request_approve"),
    path(f"{base}auto-jumelage/", views.self_matching_settings, name="self_matching"),
]

# Each table of the coordinator's page downloads at its own address: home_<table>_export.
for table, slug in {
    "proposals": "groupes-proposes",
    "unmatched": "non-jumelees",
    "accepted": "groupes-acceptes",
    "constraints": "contraintes",
    "exclusions": "conflits",
    "mentees": "personnes-mentorees",
    "mentors": "cotes-mentors",
    "runs": "historique",
}.items():
    urlpatterns.append(
        path(
            f"{base}{slug}/export.<str:fmt>",
            views.home_export,
            {"table": table},
            name=f"home_{table}_export",
        )
    )

# --- Speed dating mentoral (issue 13) ---------------------------------------------------------
sd = f"{base}speed-dating/"
mine = "programmes/<int:pk>/speed-dating/<int:event_pk>/"
urlpatterns += [
    path(sd, views_speeddating.events, name="sd_events"),
    path(f"{sd}planifier/", views_speeddating.event_new, name="sd_new"),
    path(f"{sd}<int:event_pk>/", views_speeddating.event_detail, name="sd_event"),
    path(f"{sd}<int:event_pk>/modifier/", views_speeddating.event_edit, name="sd_edit"),
    path(f"{sd}<int:event_pk>/publier/", views_speeddating.event_publish, name="sd_publish"),
    path(f"{sd}<int:event_pk>/annuler/", views_speeddating.event_cancel, name="sd_cancel"),
    path(
        f"{sd}<int:event_pk>/former-les-groupes/",
        views_speeddating.event_form_groups,
        name="sd_form_groups",
    ),
    path(mine, views_speeddating.mine, name="sd_mine"),
    path(f"{mine}horaire.ics", views_speeddating.mine_ics, name="sd_ics"),
]
