from __future__ import annotations

from django.urls import path

from . import views

app_name = "portability"
urlpatterns = [
    path("programmes/<int:pk>/importer/", views.import_file, name="import"),
    path("programmes/<int:pk>/importer/<int:job_pk>/", views.import_job, name="import_job"),
    path(
        "programmes/<int:pk>/importer/<int:job_pk>/etat/",
        views.import_job_status,
        name="import_job_status",
    ),
    path(
        "programmes/<int:pk>/importer/<int:job_pk>/confirmer/",
        views.import_confirm,
        name="import_confirm",
    ),
    path(
        "programmes/<int:pk>/importer/<int:job_pk>/annuler/",
        views.import_cancel,
        name="import_cancel",
    ),
    path(
        "programmes/<int:pk>/importer/modele/<str:what>/<str:fmt>/",
        views.template_download,
        name="template",
    ),
    path("programmes/<int:pk>/exporter/<str:what>/<str:fmt>/", views.export, name="export"),
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/json/", views.my_data_json, name="my_data_json"),
    path("mes-donnees/csv/", views.my_data_csv, name="my_data_csv"),
]
