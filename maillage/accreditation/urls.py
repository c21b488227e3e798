from __future__ import annotations

from django.urls import path

from . import assessor_views, staff_views, views

app_name = "accreditation"

base = "programmes/<int:pk>/accreditation/"
dossier = base + "<int:dossier_pk>/"
urlpatterns = [
    # The program's coordinators prepare and submit.
    path(base, views.home, name="home"),
    path(f"{base}nouveau/", views.start, name="start"),
    path(dossier, views.dossier, name="dossier"),
    path(f"{dossier}commentaire/", views.note, name="note"),
    path(f"{dossier}documents/ajouter/", views.document_add, name="document_add"),
    path(f"{dossier}documents/<int:doc_pk>/", views.document, name="document"),
    path(
        f"{dossier}documents/<int:doc_pk>/retirer/", views.document_remove, name="document_remove"
    ),
    path(f"{dossier}soumettre/", views.submit, name="submit"),
    path(f"{dossier}reprendre/", views.reopen, name="reopen"),
    path(f"{dossier}soumissions/<int:sub_pk>/pdf/", views.submission_pdf, name="pdf"),
    # The assessor reviews what was submitted to them.
    path("accreditation/evaluations/", assessor_views.reviews, name="reviews"),
    path("accreditation/evaluations/<int:sub_pk>/", assessor_views.review, name="review"),
    path("accreditation/evaluations/<int:sub_pk>/apprecier/", assessor_views.rate, name="rate"),
    path(
        "accreditation/evaluations/<int:sub_pk>/renvoyer/",
        assessor_views.send_back,
        name="send_back",
    ),
    path("accreditation/evaluations/<int:sub_pk>/decider/", assessor_views.decide, name="decide"),
    path(
        "accreditation/evaluations/<int:sub_pk>/documents/<int:doc_pk>/",
        assessor_views.review_document,
        name="review_document",
    ),
    path(
        "accreditation/evaluations/<int:sub_pk>/pdf/", assessor_views.review_pdf, name="review_pdf"
    ),
    # A network's staff appoint its assessors.
    path(
        "accreditation/reseaux/<int:network_pk>/evaluateurs/",
        staff_views.assessors,
        name="assessors",
    ),
    path(
        "accreditation/reseaux/<int:network_pk>/evaluateurs/<int:assessor_pk>/terminer/",
        staff_views.assessor_end,
        name="assessor_end",
    ),
]
