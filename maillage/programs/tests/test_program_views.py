"""The program pages: overview for every role, settings and people for the coordinator only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.programs.models import Program, Role

pytestmark = pytest.mark.django_db


def test_dashboard_lists_only_programs_where_the_user_has_a_role(client, mentee, outsider):
    login(client, mentee)
    page = client.get(reverse("programs:dashboard")).content.decode()
    assert "Programme A" in page
    assert "Programme B" not in page


def test_dashboard_shows_the_next_step_first_and_once(client, mentee):
    login(client, mentee)  # her matching profile is not complete yet
    page = client.get(reverse("programs:dashboard")).content.decode()
    step = page.index("Prochaine étape")
    assert step < page.index("Compléter votre profil de jumelage") < page.index("Programme A")
    assert page.count("Compléter votre profil de jumelage") == 1
    assert "Rien ne vous attend" not in page


def test_every_role_sees_the_overview(client, program_a, mentor, mentee, committee_member):
    for person in (mentor, mentee, committee_member):
        login(client, person)
        response = client.get(reverse("programs:detail", args=[program_a.pk]))
        assert response.status_code == 200
        assert "Programme A" in response.content.decode()


def test_mentee_gets_404_on_settings_and_people(client, program_a, mentee):
    login(client, mentee)
    for name in ("programs:edit", "programs:people"):
        assert client.get(reverse(name, args=[program_a.pk])).status_code == 404


def test_new_program_has_the_pilots_defaults(program_a):
    assert program_a.hours_bank == 20
    assert program_a.mentees_per_group == 2
    assert (program_a.meeting_every_min_weeks, program_a.meeting_every_max_weeks) == (2, 4)
    assert program_a.compensation_per_mentor == 2500
    assert program_a.coordination_budget == 10000
    assert program_a.agreement_points_missing() == []
    assert program_a.forms.get().questions.count() == 11
    assert program_a.criteria.count() == 7


def test_settings_error_keeps_every_value_and_says_what_is_wrong(as_coordinator, program_a):
    url = reverse("programs:edit", args=[program_a.pk])
    data = {f.name: f.value() or "" for f in as_coordinator.get(url).context["form"]}
    data.update(
        title="Nouveau titre gardé", start_date="2026-09-01", end_date="2026-08-01", hours_bank="24"
    )
    data = {k: v for k, v in data.items() if v is not False}
    response = as_coordinator.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "La fin doit suivre le début." in page
    assert 'value="Nouveau titre gardé"' in page
    assert 'value="24"' in page
    assert Program.objects.get(pk=program_a.pk).title == "Programme A"


def test_changing_an_agreement_point_makes_a_new_version(as_coordinator, program_a):
    url = reverse("programs:edit", args=[program_a.pk])
    form = as_coordinator.get(url).context["form"]
    data = {f.name: f.value() for f in form if f.value() not in (None, False)}
    data["agreement_period"] = "Vingt heures de juillet à décembre."
    response = as_coordinator.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    program_a.refresh_from_db()
    assert program_a.agreement_version == 2


def test_coordinator_adds_a_track_and_a_duplicate_name_is_refused(as_coordinator, program_a):
    url = reverse("programs:track_add", args=[program_a.pk])
    as_coordinator.post(url, {"name": "Logistique"})
    response = as_coordinator.post(url, {"name": "logistique"}, follow=True)
    assert program_a.tracks.count() == 1
    assert "déjà un volet" in response.content.decode()


def test_the_last_coordinator_cannot_be_removed(as_coordinator, program_a, coordinator):
    role = program_a.roles.get(person=coordinator, kind=Role.Kind.COORDINATOR)
    response = as_coordinator.post(
        reverse("programs:role_remove", args=[program_a.pk, role.pk]), follow=True
    )
    assert Role.objects.filter(pk=role.pk).exists()
    assert "au moins une personne à la coordination" in response.content.decode()


def test_pages_speak_english_when_asked(client, program_a, mentee):
    login(client, mentee)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("programs:detail", args=[program_a.pk])).content.decode()
    assert 'lang="en"' in page


def test_role_form_offers_only_people_known_to_the_program(as_coordinator, program_a, outsider):
    page = as_coordinator.get(reverse("programs:people", args=[program_a.pk])).content.decode()
    assert "Camille" in page
    assert "Olivier" not in page  # program B's coordinator: not someone A's coordinator may list


def test_coordinator_gives_a_role_to_a_new_person_by_email(as_coordinator, program_a):
    url = reverse("programs:people", args=[program_a.pk])
    response = as_coordinator.post(
        url,
        {"first_name": "Léa", "last_name": "Neuve", "email": "lea@exemple.org", "kind": "mentor"},
    )
    assert response.status_code == 302
    assert program_a.roles.filter(person__email="lea@exemple.org", kind="mentor").exists()


def test_role_without_person_nor_new_person_says_what_to_do(as_coordinator, program_a):
    url = reverse("programs:people", args=[program_a.pk])
    response = as_coordinator.post(url, {"first_name": "Léa", "kind": "mentor"})
    page = response.content.decode()
    assert "Choisissez une personne de la liste" in page
    assert 'value="Léa"' in page
