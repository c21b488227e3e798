from __future__ import annotations

from django.urls import path

from . import views

app_name = "evaluation"

base = "programmes/<int:pk>/evaluation/"
questionnaire = base + "questionnaires/<int:q_pk>/"
question = questionnaire + "questions/<int:question_pk>/"
round_ = base + "envois/<int:round_pk>/"
interview = base + "entrevues/<int:iv_pk>/"

urlpatterns = [
    path(base, views.home, name="home"),
    path(base + "envois/export.<str:fmt>", views.rounds_export, name="rounds_export"),
    path(base + "entrevues/export.<str:fmt>", views.interviews_export, name="interviews_export"),
    path(
        base + "questionnaires/modele/", views.questionnaire_template, name="questionnaire_template"
    ),
    path(base + "questionnaires/nouveau/", views.questionnaire_new, name="questionnaire_new"),
    path(questionnaire, views.questionnaire, name="questionnaire"),
    path(questionnaire + "apercu/", views.questionnaire_preview, name="questionnaire_preview"),
    path(questionnaire + "questions/ajouter/", views.question_edit, name="question_add"),
    path(question, views.question_edit, name="question_edit"),
    path(question + "supprimer/", views.question_delete, name="question_delete"),
    path(question + "deplacer/", views.question_move, name="question_move"),
    path(base + "envois/planifier/", views.rounds_default, name="rounds_default"),
    path(base + "envois/ajouter/", views.round_edit, name="round_add"),
    path(round_, views.round_detail, name="round"),
    path(round_ + "export.<str:fmt>", views.round_export, name="round_export"),
    path(round_ + "modifier/", views.round_edit, name="round_edit"),
    path(round_ + "envoyer/", views.round_send_now, name="round_send_now"),
    path(base + "reponses/<int:inv_pk>/", views.response_detail, name="response"),
    path(base + "mes-reponses/<int:inv_pk>/", views.my_answer, name="my_answer"),
    path(base + "entrevues/ajouter/", views.interview_edit, name="interview_add"),
    path(interview, views.interview_edit, name="interview"),
    path(interview + "envoyer/", views.interview_send, name="interview_send"),
    path(base + "mes-entrevues/<int:iv_pk>/", views.my_interview, name="my_interview"),
    path(base + "observations/", views.notes, name="notes"),
    path(base + "citations/", views.quotes, name="quotes"),
    path(base + "citations/export.<str:fmt>", views.quotes_export, name="quotes_export"),
    path(base + "citations/ajouter/", views.quote_add, name="quote_add"),
    path(base + "citations/<int:quote_pk>/demander/", views.quote_request, name="quote_request"),
    path("evaluation/r/<str:token>/", views.answer, name="answer"),
    path("evaluation/r/<str:token>/enregistrer/", views.answer_autosave, name="answer_autosave"),
    path("evaluation/entrevue/<str:token>/", views.interview_review, name="interview_review"),
    path("evaluation/citation/<str:token>/", views.quote_consent, name="quote_consent"),
]
