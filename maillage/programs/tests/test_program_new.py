"""« Créer un programme »: who may, what the new program starts with, one program per click."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from maillage.conftest import login, make_person
from maillage.programs.models import Program, Role

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


def test_administrator_without_a_person_creates_a_program_from_the_template(client, org_a):
    admin = get_user_model().objects.create_superuser("admin@exemple.org", "admin@exemple.org", "x")
    client.force_login(admin)
    assert "Créer un programme" in client.get(reverse("programs:dashboard")).content.decode()
    response = client.post(URL, _data(coordinating_organization=org_a.pk))
    program = Program.objects.get(title="Maillage 2027")
    assert response.url == reverse("programs:detail", args=[program.pk])
    assert program.coordinating_organization == org_a
    assert program.roles.get().person.user == admin
    assert program.forms.count() == 1 and program.criteria.count() == 7
    assert program.hours_bank == 20


def test_a_coordinator_types_a_new_organization_name(as_coordinator, coordinator, program_a):
    as_coordinator.post(URL, _data(organization_name="Cuisine Partagée (fictif)"))
    program = Program.objects.get(title="Maillage 2027")
    assert program.coordinating_organization.name == "Cuisine Partagée (fictif)"
    assert program.roles.get(kind=Role.Kind.COORDINATOR).person == coordinator


def test_a_double_click_makes_one_program(as_coordinator, program_a):
    data = _data(coordinating_organization=program_a.coordinating_organization_id)
    first = as_coordinator.post(URL, data)
    second = as_coordinator.post(URL, data)
    assert Program.objects.filter(title="Maillage 2027").count() == 1
    assert first.url == second.url


def test_missing_organization_keeps_what_was_typed(as_coordinator, program_a):
    response = as_coordinator.post(URL, _data(title="Titre gardé"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choisissez l’organisation coordonnatrice" in page
    assert 'value="Titre gardé"' in page
    assert not Program.objects.filter(title="Titre gardé").exists()


def test_someone_given_the_permission_may_create(client, org_a):
    person = make_person("Pia", "Permise")
    person.user.user_permissions.add(Permission.objects.get(codename="add_program"))
    login(client, person)
    assert client.get(URL).status_code == 200


def test_a_mentor_without_the_right_gets_404_and_no_button(client, mentor):
    login(client, mentor)
    assert "Créer un programme" not in client.get(reverse("programs:dashboard")).content.decode()
    assert client.get(URL).status_code == 404
    assert client.post(URL, _data(organization_name="X")).status_code == 404
    assert not Program.objects.filter(title="Maillage 2027").exists()
