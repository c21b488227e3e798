"""The create forms of accreditation count once, whatever the clicks: starting a dossier,
submitting it, appointing an assessor (each form carries its `{% form_token %}`)."""

from __future__ import annotations

import pytest

from maillage.accreditation.models import Assessor, Dossier, Submission
from maillage.conftest import make_person
from maillage.measurement import services as measurement
from maillage.measurement.models import NetworkRole
from maillage.tests.test_create_forms_once import form_fields

pytestmark = pytest.mark.django_db


def _twice(client, page: str, action: str | None, typed: dict) -> tuple:
    fields = form_fields(client.get(page).content.decode(), action)
    assert "form_token" in fields
    data = {**fields, **typed}
    target = action or page
    return client.post(target, data), client.post(target, data)


def test_starting_a_dossier_twice_makes_one(client, coordinator, program_a):
    client.force_login(coordinator.user)
    base = f"/programmes/{program_a.pk}/accreditation/"
    first, again = _twice(client, base, base + "nouveau/", {})
    assert Dossier.objects.filter(program=program_a).count() == 1
    assert first["Location"] == again["Location"]


def test_submitting_twice_makes_one_submission(client, coordinator, dossier, assessor):
    client.force_login(coordinator.user)
    page = f"/programmes/{dossier.program_id}/accreditation/{dossier.pk}/soumettre/"
    first, again = _twice(client, page, None, {"assessor": str(assessor.pk)})
    assert Submission.objects.filter(dossier=dossier).count() == 1
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]


def test_appointing_twice_makes_one_assessor(client, staff, network):
    person = make_person("Nora", "Comité")
    measurement.assign_network_role(network=network, person=person, kind=NetworkRole.Kind.STEERING)
    client.force_login(staff.user)
    page = f"/accreditation/reseaux/{network.pk}/evaluateurs/"
    first, again = _twice(client, page, None, {"person": str(person.pk)})
    assert Assessor.objects.filter(network=network, person=person).count() == 1
    assert first.status_code == again.status_code == 302
