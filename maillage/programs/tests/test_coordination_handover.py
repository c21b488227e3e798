"""Giving coordination to a colleague, and stepping down while another coordinator remains."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.programs.models import Role

pytestmark = pytest.mark.django_db


def _add_colleague(client, program):
    return client.post(
        reverse("programs:people", args=[program.pk]),
        {
            "first_name": "Gabrielle",
            "last_name": "Collègue",
            "email": "gabrielle.collegue@exemple.org",
            "kind": Role.Kind.COORDINATOR,
        },
    )


def test_a_colleague_added_by_e_mail_shares_coordination(as_coordinator, program_a):
    assert _add_colleague(as_coordinator, program_a).status_code == 302
    colleague = program_a.roles.get(kind=Role.Kind.COORDINATOR, person__email__startswith="gab")
    assert colleague.person.last_name == "Collègue"


def test_the_last_coordinator_cannot_step_down(as_coordinator, program_a, coordinator):
    people = reverse("programs:people", args=[program_a.pk])
    assert "Seule personne à la coordination" in as_coordinator.get(people).content.decode()
    own = program_a.roles.get(person=coordinator)
    response = as_coordinator.post(
        reverse("programs:role_remove", args=[program_a.pk, own.pk]), follow=True
    )
    assert "au moins une personne à la coordination" in response.content.decode()
    assert program_a.roles.filter(person=coordinator).exists()


def test_a_coordinator_steps_down_once_a_colleague_coordinates(
    as_coordinator, program_a, coordinator
):
    _add_colleague(as_coordinator, program_a)
    people = reverse("programs:people", args=[program_a.pk])
    assert "Quitter la coordination" in as_coordinator.get(people).content.decode()
    own = program_a.roles.get(person=coordinator)
    response = as_coordinator.post(reverse("programs:role_remove", args=[program_a.pk, own.pk]))
    assert response.url == reverse("programs:dashboard")
    assert not program_a.roles.filter(person=coordinator).exists()
    assert as_coordinator.get(people).status_code == 404


def test_outsider_cannot_add_a_coordinator(as_outsider, program_a):
    assert _add_colleague(as_outsider, program_a).status_code == 404
    assert program_a.roles.filter(kind=Role.Kind.COORDINATOR).count() == 1
