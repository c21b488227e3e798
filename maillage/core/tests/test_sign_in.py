"""Signing in with an e-mail, and the lockout after repeated failures (django-axes)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_opens_my_programs(client, coordinator, program_a):
    response = client.post(
        reverse("account_login"), {"login": coordinator.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("programs:dashboard")
    assert "Programme A" in response.content.decode()


def test_sign_in_page_is_in_quebec_french():
    from django.test import Client

    page = Client().get(reverse("account_login")).content.decode()
    assert "Courriel" in page
    assert "S’inscrire" not in page and "sign up" not in page.lower()


def test_lockout_after_repeated_failures_even_with_the_right_password(
    client, coordinator, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("account_login"), {"login": coordinator.email, "password": "mauvais"})
    response = client.post(
        reverse("account_login"), {"login": coordinator.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_self_service_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert b"password1" not in response.content
    assert "Pas d’inscription libre" in response.content.decode()
