"""Repeated wrong passwords lock one account (from anywhere, and from that address), never
everyone behind the same address; the client's address is read through the configured proxies;
the lockout page says the same for an account that does not exist."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from maillage.conftest import PASSWORD, make_person

pytestmark = pytest.mark.django_db

SHARED_IP = "198.51.100.7"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts sign-ins per address in the cache (30 a minute): these tests make many.
    from django.core.cache import cache

    cache.clear()


def _sign_in(client, email, password, **meta):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=meta.pop("ip", SHARED_IP),
        **meta,
    )


@pytest.fixture
def people(db):
    return [make_person(name, "Bureau") for name in ("Anne", "Benoit", "Carole")]


def test_five_failures_for_one_person_do_not_lock_the_others_behind_the_same_address(people):
    anne, benoit, carole = people
    for _ in range(5):
        _sign_in(Client(), anne.email, "mauvais")
    for person in (benoit, carole):
        client = Client()
        response = _sign_in(client, person.email, PASSWORD)
        assert response.status_code == 302, person
        assert "_auth_user_id" in client.session
    locked = Client()
    response = _sign_in(locked, anne.email, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in locked.session


def test_the_account_is_locked_from_another_address_too(people):
    anne = people[0]
    for _ in range(5):
        _sign_in(Client(), anne.email, "mauvais")
    response = _sign_in(Client(), anne.email.upper(), PASSWORD, ip="203.0.113.99")
    assert response.status_code == 429


def test_the_lockout_page_is_friendly_and_the_same_for_an_unknown_account(people):
    for email in (people[0].email, "personne@exemple.org"):
        for _ in range(5):
            _sign_in(Client(), email, "mauvais")
    known = _sign_in(Client(), people[0].email, "mauvais").content.decode()
    unknown = _sign_in(Client(), "personne@exemple.org", "mauvais").content.decode()
    assert "Connexion temporairement bloquée" in known
    assert "Mot de passe oublié" in known
    assert "Traceback" not in known
    assert _without_tokens(known) == _without_tokens(unknown)


def _without_tokens(page: str) -> str:
    page = re.sub(r'"X-CSRFToken": "[^"]+"', "", page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_the_client_address_comes_from_x_forwarded_for_behind_the_configured_proxy(
    people, settings
):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    _sign_in(
        Client(),
        people[0].email,
        "mauvais",
        ip="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.50, 10.0.0.2",
    )
    attempt = AccessAttempt.objects.get()
    assert attempt.ip_address == "203.0.113.50"
    assert attempt.username == people[0].email


def test_x_forwarded_for_is_ignored_without_a_configured_proxy(people, settings):
    settings.AXES_IPWARE_PROXY_COUNT = None
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
    _sign_in(Client(), people[0].email, "mauvais", ip="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert AccessAttempt.objects.get().ip_address == "10.0.0.2"


def test_choosing_a_new_password_ends_the_lockout(people):
    from allauth.account.signals import password_reset

    anne = people[0]
    for _ in range(5):
        _sign_in(Client(), anne.email, "mauvais")
    password_reset.send(sender=type(anne.user), request=None, user=anne.user)
    assert _sign_in(Client(), anne.email, PASSWORD).status_code == 302
