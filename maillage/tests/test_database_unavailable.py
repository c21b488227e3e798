"""The database out of reach for a moment (a restart, a failover): a reading page is tried once
more and shows; a form being sent comes back on a plain 503 page with what the person typed,
ready to send again, and is written once; never a bare 500 (issue 14)."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.template.response import TemplateResponse
from django.test import Client
from django.urls import path, reverse

from maillage.core.once import FIELD
from maillage.core.tests.forms_once import form_token
from maillage.intake.models import Application
from maillage.urls import urlpatterns as site_urls

calls: list[str] = []


def flaky(request: HttpRequest) -> HttpResponse:
    """Fails the first time it is called, as a page does during a database restart."""
    calls.append(request.method)
    if len(calls) == 1:
        raise OperationalError("server closed the connection unexpectedly")
    return HttpResponse("lu")


def down(request: HttpRequest) -> HttpResponse:
    calls.append(request.method)
    raise OperationalError("connection refused")


class FailsOnRender(TemplateResponse):
    def render(self):
        calls.append("render")
        if calls.count("render") == 1:
            # The database went away while the template read it (a context processor, a
            # lazy queryset): found by bench/faults/run.sh postgres on the sign-in page.
            raise OperationalError("the database system is shutting down")
        return super().render()


def lazy(request: HttpRequest) -> HttpResponse:
    calls.append(request.method)
    return FailsOnRender(request, engines["django"].from_string("rendu"))


def broken_query(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("not the database")


urlpatterns = [
    path("essai/instable/", flaky),
    path("essai/en-panne/", down),
    path("essai/bogue/", broken_query),
    path("essai/paresseux/", lazy),
    *site_urls,
]
handler500 = "maillage.core.unavailable.server_error"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production(settings) -> None:
    settings.DEBUG = False
    settings.MAILLAGE_DB_RETRY_DELAY = 0
    calls.clear()


@pytest.fixture
def browser() -> Client:
    return Client(raise_request_exception=False)


def assert_unavailable_page(response) -> str:
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "15"
    assert "Maillage revient dans un instant" in page
    for debug_sign in ("Traceback", "connection refused", "server closed", "OperationalError"):
        assert debug_sign not in page
    assert "style=" not in page and "<script" not in page
    return page


@pytest.mark.urls(__name__)
def test_a_page_that_failed_while_rendering_is_rendered_on_its_retry(browser):
    """Not a bare 500 « content must be rendered » (ContentNotRenderedError)."""
    response = browser.get("/essai/paresseux/")
    assert response.status_code == 200
    assert response.content == b"rendu"
    assert calls == ["GET", "render", "GET", "render"]


@pytest.mark.urls(__name__)
def test_a_reading_page_is_tried_once_more_and_shows(browser):
    response = browser.get("/essai/instable/")
    assert response.status_code == 200
    assert response.content == b"lu"
    assert calls == ["GET", "GET"]


@pytest.mark.urls(__name__)
def test_a_reading_page_still_down_says_come_back_in_a_moment(browser):
    response = browser.get("/essai/en-panne/")
    page = assert_unavailable_page(response)
    assert calls == ["GET", "GET"], "one retry, not more"
    assert 'href="/essai/en-panne/"' in page  # « Réessayer »
    assert "secondes" in page


@pytest.mark.urls(__name__)
def test_a_write_is_not_tried_again(browser):
    response = browser.post("/essai/instable/", {"note": "Bonjour"})
    assert_unavailable_page(response)
    assert calls == ["POST"]


@pytest.mark.urls(__name__)
def test_another_error_stays_the_plain_500(browser):
    response = browser.get("/essai/bogue/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.urls(__name__)
def test_the_page_follows_the_language_of_the_person(browser):
    browser.cookies["django_language"] = "en"
    response = browser.get("/essai/en-panne/")
    assert response.status_code == 503
    assert '<html lang="en">' in response.content.decode()


def test_the_whole_database_down_gives_the_friendly_page(browser, coordinator):
    """Every query fails, from the session onwards (the connection itself is refused)."""
    browser.force_login(coordinator.user)
    with mock.patch.object(
        type(connections["default"]), "cursor", side_effect=OperationalError("connection refused")
    ):
        response = browser.get(reverse("core:home"))
    assert_unavailable_page(response)


def _hidden_fields(page: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page):
        fields.setdefault(name, []).append(value.replace("&#x27;", "'").replace("&amp;", "&"))
    return fields


def test_a_form_sent_while_the_database_is_down_comes_back_with_what_was_typed(program_a, browser):
    from maillage.intake.tests.conftest import valid_answer

    form = program_a.forms.get()
    url = reverse("intake:public_form", args=[form.token])
    token = form_token(browser.get(url).content.decode())
    answer = {**valid_answer(), FIELD: token}
    with mock.patch(
        "maillage.intake.services.submit_application",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = browser.post(url, answer)
    page = assert_unavailable_page(response)
    assert Application.objects.count() == 0
    # What was typed is on the page, to read back…
    assert "Frigo Solidaire de Lévis (fictif)" in page
    assert "Un frigo partagé<br>ouvert sept jours sur sept." in page
    # …and in a form that sends it again, as it was, to the same address.
    assert f'<form method="post" action="{url}"' in page
    resend = _hidden_fields(page)
    assert resend["q_concept"] == [answer["q_concept"]]
    assert resend["q_mentoring_help"] == [answer["q_mentoring_help"]]
    assert resend[FIELD] == [token]

    # The database is back: sending again writes the application, once.
    again = {name: values[0] if len(values) == 1 else values for name, values in resend.items()}
    response = browser.post(url, again)
    assert response.status_code in (200, 302)
    assert Application.objects.count() == 1
    browser.post(url, again)
    assert Application.objects.count() == 1, "a second send of the same form writes nothing"


def test_passwords_are_never_written_back_into_the_page(browser):
    with mock.patch.object(
        type(connections["default"]), "cursor", side_effect=OperationalError("connection refused")
    ):
        response = browser.post(
            reverse("account_login"), {"login": "camille@example.org", "password": "secret-123"}
        )
    page = assert_unavailable_page(response)
    assert "secret-123" not in page
    assert "camille@example.org" in page
