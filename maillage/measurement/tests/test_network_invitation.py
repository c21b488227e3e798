"""Backbone staff who type the address of someone they cannot see (a program's coordinator)
learn nothing of her: the page and its answer are the same whether the address is on the
platform or not, and she takes the role only by accepting the invitation."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from maillage.conftest import login
from maillage.measurement.models import NetworkInvitation, NetworkRole

pytestmark = pytest.mark.django_db
Kind = NetworkRole.Kind


def _post(client, network, email, **extra):
    return client.post(
        reverse("measurement:roles", args=[network.pk]),
        {"email": email, "kind": Kind.STEERING, **extra},
    )


def _said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_without_names_the_answer_is_the_same_for_a_known_and_an_unknown_address(
    client, staff, network, coordinator
):
    login(client, staff)
    known = _post(client, network, coordinator.email).content.decode()
    unknown = _post(client, network, "personne@exemple.org").content.decode()
    assert "indiquez son prénom et son nom" in known
    clean = [
        re.sub(
            r'(X-CSRFToken": |csrfmiddlewaretoken" value=|form_token" value=)"[^"]+"',
            "",
            page.replace(email, "X"),
        )
        for page, email in ((known, coordinator.email), (unknown, "personne@exemple.org"))
    ]
    assert clean[0] == clean[1]
    assert not network.roles.filter(person=coordinator).exists()


def test_another_programs_coordinator_is_invited_and_shown_as_typed(
    client, staff, network, coordinator, django_capture_on_commit_callbacks
):
    login(client, staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, network, coordinator.email, first_name="C.", last_name="Typée")
    assert response.status_code == 302
    assert _said(response) == ["C. Typée : Comité directeur."]
    page = html.unescape(
        client.get(reverse("measurement:roles", args=[network.pk])).content.decode()
    )
    assert "C. Typée" in page and coordinator.first_name not in page
    assert not network.roles.filter(person=coordinator).exists()
    assert [m.to for m in mail.outbox] == [[coordinator.email]]

    invitation = NetworkInvitation.objects.get(network=network, person=coordinator)
    login(client, coordinator)
    home = html.unescape(client.get(reverse("programs:dashboard")).content.decode())
    assert "Répondre à l’invitation à rejoindre le réseau" in home
    client.post(reverse("measurement:invitation", args=[invitation.token()]), {"answer": "accept"})
    assert network.roles.filter(person=coordinator, kind=Kind.STEERING).exists()
