"""Every create, update and delete of personal data lands in the audit trail, with its actor."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.core.audit import acting_as
from maillage.core.models import AuditEntry, Person

pytestmark = pytest.mark.django_db


def test_create_update_delete_of_a_person_are_recorded_with_the_actor(coordinator):
    with acting_as(coordinator.user):
        person = Person.objects.create(first_name="Zoé", last_name="Essai", email="zoe@exemple.org")
        person.phone = "418 555-0101"
        person.save()
        pk = person.pk
        person.delete()
    entries = list(AuditEntry.objects.filter(model="core.Person", object_id=str(pk)).order_by("id"))
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert all(e.actor == coordinator.user for e in entries)
    assert entries[1].changes == {"phone": ["", "418 555-0101"]}


def test_a_save_without_change_writes_no_entry(coordinator):
    before = AuditEntry.objects.count()
    coordinator.save()
    assert AuditEntry.objects.count() == before


def test_a_change_through_a_view_records_the_signed_in_user(as_coordinator, coordinator, program_a):
    url = reverse("programs:track_add", args=[program_a.pk])
    as_coordinator.post(url, {"name": "Volet test", "description": ""})
    # Tracks are not personal data; roles are: give one and look for it.
    as_coordinator.post(
        reverse("programs:people", args=[program_a.pk]),
        {"first_name": "Léa", "last_name": "Rôle", "email": "lea@exemple.org", "kind": "observer"},
    )
    entry = AuditEntry.objects.filter(model="programs.Role", action="create").latest("id")
    assert entry.actor == coordinator.user
    assert entry.program_id == program_a.pk
