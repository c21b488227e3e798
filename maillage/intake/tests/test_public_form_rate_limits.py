"""The public form stops a flood (issue 12, finding 3): per connection and per e-mail typed,
counted in the shared database cache so that the limit holds across web processes; what was
typed is kept; the confirmation e-mail leaves at most once an hour per address."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.urls import reverse

from maillage.intake.models import Application

from .conftest import thanked, valid_answer

pytestmark = pytest.mark.django_db

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "maillage_cache",
    }
}


@pytest.fixture
def database_cache(settings):
    """The production default: the cache table made by core's migration."""
    settings.CACHES = DATABASE_CACHE
    yield caches["default"]


def submit(client, form, address: str = "203.0.113.7", **overrides: str):
    path = reverse("intake:public_form", args=[form.token])
    return client.post(path, valid_answer(**overrides), REMOTE_ADDR=address)


def forget_process_state() -> None:
    """What another web process would have: no cache object yet, no local memory."""
    locmem._caches.clear()
    locmem._expire_info.clear()
    caches.close_all()
    for alias in list(caches.settings):
        if hasattr(caches._connections, alias):
            delattr(caches._connections, alias)


def test_one_connection_is_stopped_after_the_limit_and_keeps_what_was_typed(
    client, interest_form, settings, database_cache
):
    settings.MAILLAGE_FORM_RATE_PER_ADDRESS = 3
    for n in range(3):
        assert thanked(submit(client, interest_form, q_email=f"p{n}@example.org"))
    response = submit(client, interest_form, q_email="p9@example.org", q_concept="Ma phrase")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Beaucoup de réponses sont arrivées de votre connexion" in html
    assert "Votre réponse n’a pas encore été envoyée." in html
    assert "Ma phrase" in html and 'value="p9@example.org"' in html
    assert Application.objects.filter(form=interest_form).count() == 3
    # Another connection is not stopped by the first one's flood.
    assert thanked(submit(client, interest_form, "198.51.100.4", q_email="x@example.org"))


def test_the_limit_holds_in_another_process(client, interest_form, settings, database_cache):
    settings.MAILLAGE_FORM_RATE_PER_ADDRESS = 2
    for n in range(2):
        assert thanked(submit(client, interest_form, q_email=f"p{n}@example.org"))
    forget_process_state()
    assert not hasattr(caches._connections, "default")
    response = submit(client, interest_form, q_email="p3@example.org")
    assert response.status_code == 429
    assert Application.objects.filter(form=interest_form).count() == 2


def test_one_email_address_is_stopped_from_any_connection(
    client, interest_form, settings, database_cache
):
    settings.MAILLAGE_FORM_RATE_PER_EMAIL = 2
    for n in range(2):
        assert submit(client, interest_form, f"192.0.2.{n}", q_email="A@Example.org").status_code
    response = submit(client, interest_form, "192.0.2.99", q_email="a@example.org")
    assert response.status_code == 429
    assert "avec cette adresse courriel" in response.content.decode()
    assert Application.objects.filter(form=interest_form).count() == 2


def test_behind_a_proxy_the_limit_counts_the_forwarded_address(
    client, interest_form, settings, database_cache
):
    settings.MAILLAGE_FORM_RATE_PER_ADDRESS = 1
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    path = reverse("intake:public_form", args=[interest_form.token])

    def post(forwarded: str, email: str):
        return client.post(
            path,
            valid_answer(q_email=email),
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"{forwarded}, 10.0.0.1",
        )

    assert thanked(post("203.0.113.1", "a@example.org"))
    # One proxy in front: two people behind it are two connections, not one.
    assert thanked(post("203.0.113.2", "b@example.org"))
    assert post("203.0.113.1", "c@example.org").status_code == 429


def test_the_confirmation_leaves_once_an_hour_per_address_and_answers_are_kept(
    client, interest_form, coordinator, settings, database_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            submit(client, interest_form, f"192.0.2.{n}", q_email="jeanne@example.org")
    assert Application.objects.filter(form=interest_form).count() == 3
    assert [m.to for m in mail.outbox] == [["jeanne@example.org"]]
    forget_process_state()  # the worker is another process: it sees the same « already sent »
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, interest_form, "192.0.2.50", q_email="other@example.org")
        submit(client, interest_form, "192.0.2.51", q_email="jeanne@example.org")
    assert [m.to for m in mail.outbox] == [["jeanne@example.org"], ["other@example.org"]]
