"""The net under the views: a DomainError no view caught becomes a message on the page the
person came from (or the same page), never a server error; htmx gets a redirect header."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from maillage.core.errors import DomainError
from maillage.core.middleware import DomainErrorMiddleware


def _request(method: str, path: str, **headers: str):
    request = getattr(RequestFactory(), method)(path, headers=headers)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _net():
    return DomainErrorMiddleware(lambda request: None)


def test_it_goes_back_to_the_page_the_person_came_from_with_the_message():
    request = _request(
        "post",
        "/programmes/1/equipes/2/dissoudre/",
        referer="http://testserver/programmes/1/personnes/",
    )
    response = _net().process_exception(request, DomainError("Ce programme est terminé."))
    assert response.status_code == 302
    assert response["Location"] == "http://testserver/programmes/1/personnes/"
    assert [m.message for m in get_messages(request)] == ["Ce programme est terminé."]


def test_without_a_page_of_ours_to_go_back_to_it_shows_the_same_page():
    request = _request("post", "/programmes/1/volets/ajouter/", referer="https://ailleurs.example/")
    response = _net().process_exception(request, DomainError("Non."))
    assert response["Location"] == "/programmes/1/volets/ajouter/"


def test_htmx_gets_a_redirect_header():
    request = _request("post", "/x/", referer="http://testserver/y/", hx_request="true")
    response = _net().process_exception(request, DomainError("Non."))
    assert response.status_code == 204
    assert response["HX-Redirect"] == "http://testserver/y/"


def test_other_errors_are_left_alone():
    assert _net().process_exception(_request("get", "/"), ValueError("bug")) is None
