from __future__ import annotations

from django.urls import path

from . import views

app_name = "practice"

series = "pratique/series/<int:series_pk>/"
meeting = "pratique/rencontres/<int:meeting_pk>/"

urlpatterns = [
    path("pratique/", views.mine, name="mine"),
    path("pratique/calendrier/<str:token>.ics", views.feed, name="feed"),
    path("pratique/reseaux/<int:pk>/", views.network, name="network"),
    path("pratique/reseaux/<int:pk>/nouvelle-serie/", views.series_new, name="series_new"),
    path(series, views.series, name="series"),
    path(f"{series}inscription/", views.register, name="register"),
    path(f"{series}annulation/", views.cancel, name="cancel"),
    path(f"{series}rencontres.ics", views.series_ics, name="series_ics"),
    path(f"{series}inscriptions/", views.registrations, name="registrations"),
    path(f"{series}resultats/", views.results, name="results"),
    path(f"{series}appreciation/", views.series_feedback, name="series_feedback"),
    path(meeting, views.meeting, name="meeting"),
    path(f"{meeting}modifier/", views.meeting_edit, name="meeting_edit"),
    path(f"{meeting}presences/", views.attendance, name="attendance"),
    path(f"{meeting}ressources/", views.resource_new, name="resource_new"),
    path(f"{meeting}ressources/<int:res_pk>/", views.resource, name="resource"),
    path(
        f"{meeting}ressources/<int:res_pk>/retirer/", views.resource_remove, name="resource_remove"
    ),
    path(f"{meeting}questions/", views.question_new, name="question_new"),
    path(f"{meeting}questions/<int:q_pk>/reponse/", views.question_answer, name="question_answer"),
    path(f"{meeting}appreciation/", views.feedback, name="feedback"),
]
