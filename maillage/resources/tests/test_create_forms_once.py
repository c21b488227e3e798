"""A double click on « Publier » or « Noter l’utilisation » makes one row (the once-token)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.resources.models import Resource, Use
from maillage.tests.test_create_forms_once import form_fields

pytestmark = pytest.mark.django_db


def _twice(client, page: str, action: str | None, typed: dict[str, str]):
    fields = form_fields(client.get(page).content.decode(), action)
    assert "form_token" in fields
    data = {**fields, **typed}
    first = client.post(action or page, data)
    again = client.post(action or page, data)
    assert first.status_code == 302, getattr(first.context, "get", lambda *_: None)("form")
    assert again.status_code == 302 and again["Location"] == first["Location"]


def test_posting_a_need_twice_makes_one(client, network, rosalie):
    client.force_login(rosalie.user)
    page = reverse("resources:need_new", args=[network.pk])
    _twice(client, page, None, {"category": "camion_refrigere", "title": "Camion pour la tournée"})
    assert Resource.objects.count() == 1


def test_noting_a_use_twice_makes_one(client, signed, rosalie):
    client.force_login(rosalie.user)
    page = reverse("resources:agreement", args=[signed.network_id, signed.pk])
    action = reverse("resources:use_new", args=[signed.network_id, signed.pk])
    _twice(client, page, action, {"on": str(timezone.localdate()), "quantity": "85"})
    assert Use.objects.count() == 1


def test_bad_input_keeps_what_was_typed(client, network, rosalie):
    client.force_login(rosalie.user)
    page = reverse("resources:offer_new", args=[network.pk])
    fields = form_fields(client.get(page).content.decode(), None)
    data = {**fields, "category": "cuisine", "title": "Cuisine du sous-sol", "quantity": "12"}
    response = client.post(page, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Précisez l’unité de la quantité." in html
    assert "Cuisine du sous-sol" in html
    assert not Resource.objects.exists()
