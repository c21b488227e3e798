from __future__ import annotations

from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("mon-compte/", views.account, name="account"),
    path("courriels/desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
