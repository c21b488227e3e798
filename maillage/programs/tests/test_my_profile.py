"""« Mon profil de jumelage »: a mentor or mentee completes what matching reads of her."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login, make_person
from maillage.core.models import Organization, Sector, Territory
from maillage.programs.models import Role
from maillage.programs.selectors import dashboard_rows, missing_profile_fields

pytestmark = pytest.mark.django_db

COMPLETE = {
    "phone": "",
    "position": "Directrice",
    "language": "fr",
    "languages": ["fr"],
    "working_style": "structured",
    "availability": ["mon-am"],
    "needs": "Trouver des bénévoles",
}


def url(program):
    return reverse("programs:my_profile", args=[program.pk])


def mentee_role(program, person) -> Role:
    return program.roles.select_related("person__organization").get(
        person=person, kind=Role.Kind.MENTEE
    )


def test_outsider_gets_404(as_outsider, program_a, mentee):
    assert as_outsider.get(url(program_a)).status_code == 404


def test_coordinator_without_a_participant_role_gets_404(as_coordinator, program_a):
    assert as_coordinator.get(url(program_a)).status_code == 404


def test_mentee_cannot_open_another_persons_profile(client, program_a, mentee, mentor):
    login(client, mentee)
    page = reverse("programs:person", args=[program_a.pk, mentor.pk])
    assert client.get(page).status_code == 404


def test_it_lists_what_is_missing(client, program_a, mentee):
    login(client, mentee)
    body = client.get(url(program_a)).content.decode()
    assert "Il manque" in body
    assert "langues, disponibilités, style de travail, secteur, région, besoins" in body
    # The participant never edits her e-mail, name, organization or say in decisions.
    for name in ("email", "first_name", "organization", "can_decide"):
        assert f'name="{name}"' not in body


def test_mentee_completes_her_profile(client, program_a, mentee, org_a):
    mentee.organization = org_a
    mentee.save()
    login(client, mentee)
    response = client.post(url(program_a), COMPLETE, follow=True)
    assert "profil complet" in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.availability == ["mon-am"] and mentee.working_style == "structured"
    assert mentee_role(program_a, mentee).needs == "Trouver des bénévoles"
    assert missing_profile_fields(mentee_role(program_a, mentee)) == []


def test_a_mentor_gives_her_expertise(client, program_a, mentor, org_a):
    mentor.organization = org_a
    mentor.save()
    login(client, mentor)
    data = {**COMPLETE, "expertise": "Gestion de bénévoles"}
    client.post(url(program_a), data)
    mentor.refresh_from_db()
    assert mentor.expertise == "Gestion de bénévoles"


def test_she_sets_her_organizations_sector_and_region_only_while_empty(
    client, program_a, mentee, org_a
):
    bare = Organization.objects.create(name="Sans secteur (fictif)")
    mentee.organization = bare
    mentee.save()
    login(client, mentee)
    sector = Sector.objects.exclude(pk=org_a.sector_id).first()
    region = Territory.objects.get(code="QC-03")
    client.post(url(program_a), {**COMPLETE, "sector": sector.pk, "territory": region.pk})
    bare.refresh_from_db()
    assert (bare.sector, bare.territory) == (sector, region)
    # Once given, they are shown, no longer offered.
    body = client.get(url(program_a)).content.decode()
    assert 'name="sector"' not in body and 'name="territory"' not in body


def test_the_dashboard_item_appears_then_disappears(client, program_a, mentee, org_a):
    def labels():
        [row] = dashboard_rows(user=mentee.user)
        return [str(item["label"]) for item in row["todo"]]

    assert "Compléter votre profil de jumelage" in labels()
    mentee.organization = org_a
    mentee.save()
    login(client, mentee)
    client.post(url(program_a), COMPLETE)
    assert "Compléter votre profil de jumelage" not in labels()


def test_coordinators_people_page_shows_each_profiles_state(
    as_coordinator, program_a, mentee, mentor, org_a
):
    other = make_person("Paule", "Complète", org=org_a, languages=["fr"])
    other.availability, other.working_style, other.expertise = ["tue-pm"], "intuitive", "Tout"
    other.save()
    from maillage.programs.services import assign_role

    assign_role(program=program_a, person=other, kind=Role.Kind.MENTOR)
    body = as_coordinator.get(reverse("programs:people", args=[program_a.pk])).content.decode()
    assert "il manque : langues, disponibilités" in body
    assert "profil complet" in body
