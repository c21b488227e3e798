from __future__ import annotations

from django.urls import path

from . import views

app_name = "measurement"

urlpatterns = [
    path("reseaux/", views.network_list, name="list"),
    path("reseaux/<int:pk>/", views.network, name="network"),
    path("reseaux/<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("reseaux/<int:pk>/indicateurs/nouveau/", views.indicator_new, name="indicator_new"),
    path("reseaux/<int:pk>/indicateurs/<int:ind_pk>/plan/", views.plan, name="plan"),
    path("reseaux/<int:pk>/indicateurs/<int:ind_pk>/saisie/", views.enter, name="enter"),
]
