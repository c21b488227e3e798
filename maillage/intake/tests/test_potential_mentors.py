from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import make_person
from maillage.core.models import Person
from maillage.intake.models import PotentialMentor
from maillage.programs.models import Role
from maillage.programs.services import assign_role

pytestmark = pytest.mark.django_db


def add(client, program, **overrides):
    data = {
        "first_name": "Rosalie",
        "last_name": "Leduc",
        "email": "rosalie@moisson.example",
        "phone": "",
        "organization": "",
        "organization_name": "Moisson Estrie (fictif)",
        "position": "Direction",
        "language": "fr",
        "expertise": "Logistique du froid, transport mutualisé",
        "themes": "logistique, entreposage",
        "capacity": "3",
        "track": "",
        "suggested_by": "GTAO",
    }
    data.update(overrides)
    return client.post(reverse("intake:potential_mentor_add", args=[program.pk]), data)


def test_add_creates_the_person_and_puts_them_on_the_list(as_coordinator, program_a):
    response = add(as_coordinator, program_a)
    assert response.status_code == 302
    mentor = PotentialMentor.objects.get(program=program_a)
    assert mentor.person.email == "rosalie@moisson.example"
    assert mentor.person.organization.name == "Moisson Estrie (fictif)"
    assert mentor.themes == ["logistique", "entreposage"]
    assert mentor.capacity == 3
    assert mentor.status == PotentialMentor.Status.IDENTIFIED
    html = as_coordinator.get(reverse("intake:potential_mentors", args=[program_a.pk]))
    page = html.content.decode()
    assert "Rosalie Leduc" in page
    assert "Moisson Estrie (fictif)" in page
    assert "logistique, entreposage" in page
    assert "Repéré·e" in page


def test_add_reuses_the_person_the_program_knows_by_email(as_coordinator, program_a):
    known = make_person("Rosalie", "Leduc", user=False)
    assign_role(program=program_a, person=known, kind="committee")
    add(as_coordinator, program_a, email=known.email.upper(), first_name="R.")
    mentor = PotentialMentor.objects.get(program=program_a)
    assert mentor.person == known
    assert Person.objects.filter(email__iexact=known.email).count() == 1


def test_another_programs_person_is_invited_not_listed(
    as_coordinator, program_a, outsider, django_capture_on_commit_callbacks
):
    from maillage.programs.models import ProgramInvitation

    with django_capture_on_commit_callbacks(execute=True):
        add(as_coordinator, program_a, email=outsider.email, first_name="O.")
    mentor = PotentialMentor.objects.get(program=program_a)
    assert mentor.person != outsider and mentor.person.first_name == "O."
    assert ProgramInvitation.objects.filter(program=program_a, person=outsider).exists()


def test_adding_the_same_person_twice_is_refused_with_the_values_kept(as_coordinator, program_a):
    add(as_coordinator, program_a)
    response = add(as_coordinator, program_a, expertise="Autre texte")
    html = response.content.decode()
    assert response.status_code == 200
    assert "déjà dans la liste" in html
    assert "Autre texte" in html
    assert PotentialMentor.objects.count() == 1


def test_a_bad_email_is_explained_next_to_the_field(as_coordinator, program_a):
    response = add(as_coordinator, program_a, email="rosalie")
    html = response.content.decode()
    assert "Saisissez une adresse de courriel valide." in html
    assert 'value="Rosalie"' in html
    assert PotentialMentor.objects.count() == 0


@pytest.fixture
def rosalie(as_coordinator, program_a) -> PotentialMentor:
    add(as_coordinator, program_a)
    return PotentialMentor.objects.get(program=program_a)


def test_log_a_contact_adds_to_the_history_and_marks_contacted(
    as_coordinator, program_a, rosalie, coordinator
):
    url = reverse("intake:potential_mentor_contact", args=[program_a.pk, rosalie.pk])
    response = as_coordinator.post(
        url,
        {
            "contact-at": "2022-05-10T14:30",
            "contact-channel": "phone",
            "contact-summary": "Intéressée ; rappeler après le 20 mai.",
        },
    )
    assert response.status_code == 302
    rosalie.refresh_from_db()
    contact = rosalie.contacts.get()
    assert contact.channel == "phone"
    assert contact.by == coordinator.user
    assert rosalie.status == PotentialMentor.Status.CONTACTED
    detail = as_coordinator.get(
        reverse("intake:potential_mentor", args=[program_a.pk, rosalie.pk])
    ).content.decode()
    assert "rappeler après le 20 mai" in detail
    listing = as_coordinator.get(reverse("intake:potential_mentors", args=[program_a.pk]))
    assert "10 mai 2022" in listing.content.decode()


def test_a_contact_without_summary_is_refused(as_coordinator, program_a, rosalie):
    url = reverse("intake:potential_mentor_contact", args=[program_a.pk, rosalie.pk])
    response = as_coordinator.post(
        url, {"contact-at": "2022-05-10T14:30", "contact-channel": "phone", "contact-summary": ""}
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert rosalie.contacts.count() == 0


def test_accepting_makes_them_a_mentor_with_their_capacity(as_coordinator, program_a, rosalie):
    url = reverse("intake:potential_mentor_status", args=[program_a.pk, rosalie.pk])
    as_coordinator.post(url, {"status": "accepted"})
    rosalie.refresh_from_db()
    assert rosalie.status == PotentialMentor.Status.ACCEPTED
    role = Role.objects.get(program=program_a, person=rosalie.person, kind=Role.Kind.MENTOR)
    assert role.capacity == 3


def test_declining_gives_no_role(as_coordinator, program_a, rosalie):
    url = reverse("intake:potential_mentor_status", args=[program_a.pk, rosalie.pk])
    as_coordinator.post(url, {"status": "declined"})
    rosalie.refresh_from_db()
    assert rosalie.status == PotentialMentor.Status.DECLINED
    assert not Role.objects.filter(person=rosalie.person, kind=Role.Kind.MENTOR).exists()


def test_edit_the_record(as_coordinator, program_a, rosalie):
    url = reverse("intake:potential_mentor", args=[program_a.pk, rosalie.pk])
    as_coordinator.post(
        url, {"expertise": "Mise en marché", "themes": "marché", "capacity": "1", "track": ""}
    )
    rosalie.refresh_from_db()
    assert rosalie.expertise == "Mise en marché"
    assert rosalie.themes == ["marché"]
    assert rosalie.capacity == 1
