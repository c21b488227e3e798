from __future__ import annotations

from django.urls import path

from . import views

app_name = "inclusion"
base = "programmes/<int:pk>/inclusion/"
mine = "programmes/<int:pk>/mon-identification/"
urlpatterns = [
    path(base, views.home, name="home"),
    path(f"{base}indicateurs.<str:fmt>", views.download, name="download"),
    path(f"{base}ajouter/", views.group_add, name="group_add"),
    path(f"{base}<int:group_pk>/", views.group_edit, name="group"),
    path(f"{base}<int:group_pk>/retirer/", views.group_remove, name="group_remove"),
    path(mine, views.mine, name="mine"),
    path(f"{mine}retirer/", views.withdraw, name="withdraw"),
    path(f"{mine}ne-pas-repondre/", views.decline, name="decline"),
    path("mon-compte/identification/", views.my_account, name="my_account"),
    path(
        "mon-compte/consentements/identification/<int:consent_pk>/retirer/",
        views.withdraw_consent,
        name="withdraw_consent",
    ),
]
