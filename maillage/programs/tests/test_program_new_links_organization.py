"""Whoever creates a program for an organization while their own person has none (the
platform's first administrator, someone invited without one) is linked to it."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from maillage.conftest import login, make_person
from maillage.core.models import Organization, Person

pytestmark = pytest.mark.django_db

URL = reverse("programs:new")


def _data(**extra):
    return {
        "token": str(uuid.uuid4()),
        "title": "Maillage 2027",
        "theme": "Réemploi alimentaire",
        "start_date": "2027-02-01",
        "end_date": "2027-07-31",
        **extra,
    }


@pytest.fixture
def admin(client):
    user = get_user_model().objects.create_superuser("admin@exemple.org", "admin@exemple.org", "x")
    client.force_login(user)
    return user


def test_a_new_organization_becomes_the_administrators(client, admin):
    client.post(URL, _data(organization_name="Cuisine Partagée (fictif)"))
    person = Person.objects.get(user=admin)
    assert person.organization == Organization.objects.get(name="Cuisine Partagée (fictif)")
    assert person.full_name != "admin"


def test_an_existing_organization_too(client, admin, org_a):
    client.post(URL, _data(coordinating_organization=org_a.pk))
    assert Person.objects.get(user=admin).organization == org_a


def test_someone_who_has_an_organization_keeps_it(client, org_a, django_user_model):
    from django.contrib.auth.models import Permission

    person = make_person("Rose", "Déjàlà", org=org_a)
    person.user.user_permissions.add(Permission.objects.get(codename="add_program"))
    login(client, person)
    client.post(URL, _data(organization_name="Autre organisme (fictif)"))
    person.refresh_from_db()
    assert person.organization == org_a
