from __future__ import annotations

from django.urls import path

from . import views

app_name = "mentoring"
base = "programmes/<int:pk>/groupes/<int:group_pk>/"
plan = f"{base}plans/<int:member_pk>/"
meeting = f"{base}rencontres/<int:meeting_pk>/"
urlpatterns = [
    # « Pourquoi ce jumelage »: beside the matching page, for the people it decided about.
    path("programmes/<int:pk>/jumelage/mon-groupe/", views.my_group, name="my_group"),
    path(
        "programmes/<int:pk>/jumelage/mon-groupe/export.<str:fmt>",
        views.my_group_export,
        name="my_group_export",
    ),
    path("mes-groupes/", views.mine, name="mine"),
    path("mes-groupes/export.<str:fmt>", views.mine_export, name="mine_export"),
    path("mon-calendrier/", views.my_calendar, name="my_calendar"),
    path("calendrier/<str:token>.ics", views.feed, name="feed"),
    path("programmes/<int:pk>/groupes/", views.groups, name="groups"),
    path("programmes/<int:pk>/groupes/export.<str:fmt>", views.groups_export, name="groups_export"),
    path(base, views.group, name="group"),
    path(f"{base}reglages/", views.group_settings, name="group_settings"),
    path(f"{base}membres/<int:member_pk>/designation/", views.designation, name="designation"),
    path(f"{base}entente/", views.agreement, name="agreement"),
    path(f"{base}entente/accepter/", views.agreement_accept, name="agreement_accept"),
    path(f"{base}entente/consigner/", views.agreement_record, name="agreement_record"),
    path(f"{base}demarrage/", views.kickoff, name="kickoff"),
    path(f"{base}rencontres/nouvelle/", views.meeting_add, name="meeting_add"),
    path(f"{base}rencontres/export.<str:fmt>", views.meetings_export, name="meetings_export"),
    path(meeting, views.meeting, name="meeting"),
    path(f"{meeting}notes/", views.note_add, name="note_add"),
    path(f"{meeting}deplacer/", views.meeting_reschedule, name="meeting_reschedule"),
    path(f"{meeting}annuler/", views.meeting_cancel, name="meeting_cancel"),
    path(f"{meeting}invitation.ics", views.meeting_ics, name="meeting_ics"),
    path(plan, views.plan, name="plan"),
    path(f"{plan}export.<str:fmt>", views.plan_export, name="plan_export"),
    path(f"{plan}besoins/", views.need_add, name="need_add"),
    path(f"{plan}besoins/<int:need_pk>/", views.need_update, name="need_update"),
    path(f"{plan}objectifs/", views.objective_add, name="objective_add"),
    path(f"{plan}objectifs/<int:objective_pk>/", views.objective_update, name="objective_update"),
    path(f"{plan}etapes/<int:step_pk>/", views.step_update, name="step_update"),
    path(f"{base}heures/", views.hours, name="hours"),
    path(f"{base}heures/export.<str:fmt>", views.hours_export, name="hours_export"),
    path(f"{base}messages/", views.thread, name="messages"),
    path(f"{base}messages/<int:message_pk>/", views.message, name="message"),
    path(f"{base}messages/<int:message_pk>/retirer/", views.message_delete, name="message_delete"),
    path(f"{base}messages/<int:message_pk>/masquer/", views.message_hide, name="message_hide"),
    path(f"{base}suivi/", views.updates, name="updates"),
    path(f"{base}suivi/<int:update_pk>/repondre/", views.update_reply, name="update_reply"),
]
