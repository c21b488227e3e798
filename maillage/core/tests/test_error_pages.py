"""With DEBUG off, a person who meets an error reads what happened and where to go, in plain
language; never Django's debug page or a stack trace (issue 10)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from maillage.urls import urlpatterns as site_urls


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail of the failure")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def unreadable(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("secret detail of the request")


urlpatterns = [
    path("essai/500/", fails),
    path("essai/403/", forbidden),
    path("essai/400/", unreadable),
    *site_urls,
]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

WAYS_OUT = ('href="/"', 'href="/programmes/"', "Mes programmes")


@pytest.fixture(autouse=True)
def production(settings) -> None:
    settings.DEBUG = False


def assert_plain_page(response, status: int, heading: str) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert heading in page
    for way_out in WAYS_OUT:
        assert way_out in page
    for debug_sign in ("Traceback", "secret detail", "DEBUG = True", "Django"):
        assert debug_sign not in page
    return page


def test_a_missing_page_says_so_and_where_to_go(client):
    response = client.get("/cette-page-n-existe-pas/")
    page = assert_plain_page(response, 404, "Page introuvable")
    assert "coordonne votre programme" in page


def test_a_failure_shows_an_apology_without_the_error(client):
    client.raise_request_exception = False
    response = client.get("/essai/500/")
    assert_plain_page(response, 500, "Désolés, une erreur est survenue")


def test_the_failure_page_needs_no_database(client, django_db_blocker):
    client.raise_request_exception = False
    with django_db_blocker.block():
        response = client.get("/essai/500/")
    assert_plain_page(response, 500, "Désolés, une erreur est survenue")


def test_a_refusal_says_the_account_has_no_access(client):
    assert_plain_page(client.get("/essai/403/"), 403, "Accès refusé")


def test_an_unreadable_request_gets_a_plain_page(client):
    assert_plain_page(client.get("/essai/400/"), 400, "Demande incomprise")


def test_an_expired_form_says_to_reload_the_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/comptes/login/", {"login": "x@exemple.org", "password": "x"})
    assert_plain_page(response, 403, "Formulaire expiré")


def test_a_signed_in_person_keeps_the_menu_on_a_missing_page(client, mentee):
    client.force_login(mentee.user)
    page = assert_plain_page(client.get("/programmes/999999/"), 404, "Page introuvable")
    assert "Se déconnecter" in page
