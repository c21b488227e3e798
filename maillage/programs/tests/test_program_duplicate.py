"""« Dupliquer pour une nouvelle édition »: the design carries over, never the people's work."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from maillage.evaluation.services import create_questionnaire_from_template
from maillage.intake.models import Application
from maillage.intake.services import add_potential_mentor
from maillage.programs.models import Program, Role
from maillage.programs.services import add_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def designed(program_a, mentor):
    logistics = add_track(program=program_a, name="Logistique")
    add_track(program=program_a, name="Synergies")
    add_potential_mentor(
        program=program_a,
        first_name="Léa",
        last_name="Leader",
        email="lea.leader@exemple.org",
        track=logistics,
    )
    create_questionnaire_from_template(program=program_a, kind="monthly")
    Application.objects.create(program=program_a, form=program_a.forms.get(), answers={})
    return program_a


def _post(client, program, **extra):
    data = {
        "token": str(uuid.uuid4()),
        "title": "Programme A 2027",
        "start_date": "2027-02-01",
        "end_date": "2027-07-31",
        **extra,
    }
    return client.post(reverse("programs:duplicate", args=[program.pk]), data, follow=True)


def test_the_copy_has_the_design_and_says_what_carried_over(as_coordinator, designed, coordinator):
    page = _post(as_coordinator, designed).content.decode()
    copy = Program.objects.get(title="Programme A 2027")
    source_form = designed.forms.get()
    form = copy.forms.get()
    assert list(copy.tracks.values_list("name", flat=True)) == ["Logistique", "Synergies"]
    assert form.questions.count() == source_form.questions.count()
    assert form.token != source_form.token and not form.is_open
    assert copy.criteria.count() == 7
    assert copy.questionnaires.get().questions.count() == (
        designed.questionnaires.get().questions.count()
    )
    assert copy.potential_mentors.get().track == copy.tracks.get(name="Logistique")
    assert copy.hours_bank == designed.hours_bank
    assert copy.applications.count() == 0
    assert list(copy.roles.values_list("person", "kind")) == [
        (coordinator.pk, Role.Kind.COORDINATOR)
    ]
    assert copy.status == Program.Status.DESIGN
    n = source_form.questions.count()
    assert (
        f"2 volets, 1 formulaire ({n} questions), 1 mentor potentiel, 7 critères, "
        "1 questionnaire" in page.replace("\u202f", " ")
    )


def test_a_double_click_makes_one_edition(as_coordinator, designed):
    token = str(uuid.uuid4())
    _post(as_coordinator, designed, token=token)
    _post(as_coordinator, designed, token=token)
    assert Program.objects.filter(title="Programme A 2027").count() == 1


def test_outsider_and_mentor_get_404(as_outsider, designed, client):
    url = reverse("programs:duplicate", args=[designed.pk])
    assert as_outsider.get(url).status_code == 404
    assert _post(as_outsider, designed).status_code == 404
    assert not Program.objects.filter(title="Programme A 2027").exists()
