from __future__ import annotations

from django.urls import path

from . import views

app_name = "training"

P = "programmes/<int:pk>/"
M = P + "formations/<int:module_pk>/"
urlpatterns = [
    path(P + "formations/", views.library, name="library"),
    path(P + "formations/nouveau/", views.module_new, name="module_new"),
    path(P + "formations/depart/<slug:starter>/", views.copy_starter, name="copy_starter"),
    path(P + "formations/suivi/", views.progress, name="progress"),
    path(P + "formations/suivi.<str:fmt>", views.progress_download, name="progress_download"),
    path(M, views.module, name="module"),
    path(M + "modifier/", views.module_edit, name="module_edit"),
    path(M + "archiver/", views.module_archive, name="module_archive"),
    path(M + "questions/ajouter/", views.question_add, name="question_add"),
    path(M + "questions/<int:question_pk>/retirer/", views.question_delete, name="question_delete"),
    path(M + "assigner/", views.assign, name="assign"),
    path(
        M + "assignations/<int:assignment_pk>/retirer/",
        views.assignment_cancel,
        name="assignment_cancel",
    ),
    path(M + "document/", views.document, name="document"),
    path(P + "mes-formations/", views.my_trainings, name="mine"),
    path(P + "mes-formations/<int:module_pk>/", views.my_module, name="my_module"),
    path(
        P + "mes-formations/<int:module_pk>/terminer/", views.my_module_done, name="my_module_done"
    ),
    path(P + "parcours/", views.path, name="path"),
    path(P + "parcours/modifier/", views.path_edit, name="path_edit"),
    path(P + "parcours/etapes/<int:step_pk>/", views.step, name="step"),
    path(
        P + "parcours/etapes/<int:step_pk>/heures/<int:entry_pk>/retirer/",
        views.support_delete,
        name="support_delete",
    ),
    path(P + "parcours/suivis/", views.follow_up_add, name="follow_up_add"),
    path(P + "parcours/suivis/<int:follow_pk>/", views.follow_up_done, name="follow_up_done"),
]
