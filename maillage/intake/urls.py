from __future__ import annotations

from django.urls import path

from . import views

app_name = "intake"

form = "programmes/<int:pk>/formulaires/<int:form_pk>/"
question = form + "questions/<int:question_pk>/"
mentor = "programmes/<int:pk>/mentors-potentiels/<int:mentor_pk>/"

urlpatterns = [
    # The public form first, and this module first in maillage/urls.py: the busiest anonymous
    # page is resolved without trying every other route (issue 14, the form's CPU).
    path("formulaire/<str:token>/", views.public_form, name="public_form"),
    path("formulaire/<str:token>/merci/", views.public_thanks, name="public_thanks"),
    path("programmes/<int:pk>/formulaires/", views.forms_list, name="forms"),
    path(
        "programmes/<int:pk>/formulaires/export.<str:fmt>", views.forms_export, name="forms_export"
    ),
    path("programmes/<int:pk>/formulaires/nouveau/", views.form_create, name="form_create"),
    path(form, views.form_edit, name="form_edit"),
    path(form + "export.<str:fmt>", views.form_edit_export, name="form_edit_export"),
    path(form + "ouvrir-fermer/", views.form_toggle, name="form_toggle"),
    path(form + "apercu/", views.form_preview, name="form_preview"),
    path(form + "questions/ajouter/", views.question_add, name="question_add"),
    path(question, views.question_edit, name="question_edit"),
    path(question + "supprimer/", views.question_delete, name="question_delete"),
    path(question + "deplacer/", views.question_move, name="question_move"),
    path(
        "programmes/<int:pk>/mentors-potentiels/",
        views.potential_mentors,
        name="potential_mentors",
    ),
    path(
        "programmes/<int:pk>/mentors-potentiels/export.<str:fmt>",
        views.potential_mentors_export,
        name="potential_mentors_export",
    ),
    path(
        "programmes/<int:pk>/mentors-potentiels/ajouter/",
        views.potential_mentor_add,
        name="potential_mentor_add",
    ),
    path(mentor, views.potential_mentor, name="potential_mentor"),
    path(
        mentor + "export.<str:fmt>", views.potential_mentor_export, name="potential_mentor_export"
    ),
    path(mentor + "contact/", views.potential_mentor_contact, name="potential_mentor_contact"),
    path(mentor + "statut/", views.potential_mentor_status, name="potential_mentor_status"),
]
