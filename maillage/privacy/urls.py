from __future__ import annotations

from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("confidentialite/", views.policy, name="policy"),
    path("confidentialite/journal/", views.trail, name="trail"),
    path("confidentialite/mes-demandes/", views.my_requests, name="my_requests"),
    path("confidentialite/registre/", views.register, name="register"),
    path("confidentialite/registre/<int:item_pk>/", views.register_item, name="register_item"),
    path(
        "confidentialite/registre/<int:item_pk>/donnees/<str:fmt>/",
        views.register_data,
        name="register_data",
    ),
    path(
        "confidentialite/registre/<int:item_pk>/effacer/",
        views.register_erase,
        name="register_erase",
    ),
    path("confidentialite/conservation/", views.retention_page, name="retention"),
    path("confidentialite/incidents/", views.incidents, name="incidents"),
    path("confidentialite/incidents/<int:item_pk>/", views.incident, name="incident"),
]
