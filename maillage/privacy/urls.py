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
    path("confidentialite/incidents/", views.incidents, name="incidents"),
    path("confidentialite/incidents/<int:item_pk>/", views.incident, name="incident"),
]
