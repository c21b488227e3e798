"""Organizations, matching profiles and teams, kept in pages by the program's coordination."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login, make_person
from maillage.core.models import Organization, Sector, Team, Territory
from maillage.programs.models import Role
from maillage.programs.selectors import missing_profile_fields
from maillage.programs.services import assign_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(program_a, mentor, coordinator):
    other = make_person("Nora", "Mentore")
    assign_role(program=program_a, person=other, kind=Role.Kind.MENTOR)
    from maillage.programs.services import create_team

    return create_team(
        program=program_a,
        name="Équipe Vivre",
        kind=Team.Kind.ORGANIZATION,
        side=Role.Kind.MENTOR,
        members=[mentor, other],
        referent=other,
        by=coordinator.user,
    )


def test_outsider_gets_404_on_every_new_page(as_outsider, program_a, mentee, org_a, team):
    pk = program_a.pk
    urls = [
        reverse("programs:organization_create", args=[pk]),
        reverse("programs:organization", args=[pk, org_a.pk]),
        reverse("programs:person", args=[pk, mentee.pk]),
        reverse("programs:team_create", args=[pk]),
        reverse("programs:team", args=[pk, team.pk]),
        reverse("programs:team_dissolve", args=[pk, team.pk]),
    ]
    for url in urls:
        assert as_outsider.get(url).status_code == 404, url
        assert as_outsider.post(url, {"name": "x"}).status_code == 404, url
    assert Team.objects.filter(pk=team.pk).exists()


def test_mentee_gets_404_on_the_profile_pages(client, program_a, mentee, mentor):
    login(client, mentee)
    assert client.get(reverse("programs:person", args=[program_a.pk, mentor.pk])).status_code == 404


def test_a_person_of_another_program_is_not_reachable(as_coordinator, program_a, outsider):
    url = reverse("programs:person", args=[program_a.pk, outsider.pk])
    assert as_coordinator.get(url).status_code == 404


def test_coordinator_creates_an_organization_with_sector_and_region(as_coordinator, program_a):
    sector = Sector.objects.get(code="municipal")
    region = Territory.objects.get(code="QC-15")
    response = as_coordinator.post(
        reverse("programs:organization_create", args=[program_a.pk]),
        {
            "name": "Ville de Mont-Exemple",
            "kind": "municipality",
            "sector": sector.pk,
            "territory": region.pk,
            "phase": "development",
        },
    )
    assert response.status_code == 302
    org = Organization.objects.get(name="Ville de Mont-Exemple")
    assert (org.sector, org.territory, org.phase) == (sector, region, "development")
    page = as_coordinator.get(reverse("programs:people", args=[program_a.pk])).content.decode()
    assert "Ville de Mont-Exemple" in page


def test_a_second_organization_of_the_same_name_is_offered_the_first(
    as_coordinator, program_a, org_a
):
    response = as_coordinator.post(
        reverse("programs:organization_create", args=[program_a.pk]),
        {"name": "vivre ensemble  (FICTIF)", "kind": "nonprofit", "description": "gardé"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("programs:organization", args=[program_a.pk, org_a.pk]) in page
    assert "gardé" in page
    assert Organization.objects.count() == 1


def test_coordinator_completes_a_matching_profile(as_coordinator, program_a, mentee):
    url = reverse("programs:person", args=[program_a.pk, mentee.pk])
    form = as_coordinator.get(url).context["form"]
    response = as_coordinator.post(
        url,
        {
            "first_name": "Élise",
            "last_name": "Mentorée",
            "language": "fr",
            "languages": ["fr", "en"],
            "working_style": "structured",
            "availability": ["mon-am", "thu-pm"],
            "needs": "Planifier nos tournées de collecte.",
            "updated_at": form.initial["updated_at"].isoformat(),
        },
    )
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.languages == ["fr", "en"]
    assert mentee.availability == ["mon-am", "thu-pm"]
    assert mentee.working_style == "structured"
    assert program_a.roles.get(person=mentee).needs == "Planifier nos tournées de collecte."


def test_a_stale_profile_edit_changes_nothing_and_keeps_the_answers(
    as_coordinator, program_a, mentee
):
    url = reverse("programs:person", args=[program_a.pk, mentee.pk])
    response = as_coordinator.post(
        url,
        {
            "first_name": "Élise",
            "last_name": "Mentorée",
            "language": "fr",
            "position": "Directrice gardée",
            "updated_at": "2000-01-01T00:00:00",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Quelqu’un d’autre a modifié cette fiche" in page
    assert "Directrice gardée" in page
    mentee.refresh_from_db()
    assert mentee.position == ""


def test_a_team_gets_its_members_and_referent_then_dissolves(as_coordinator, program_a, mentor):
    other = make_person("Nora", "Mentore")
    assign_role(program=program_a, person=other, kind=Role.Kind.MENTOR)
    response = as_coordinator.post(
        reverse("programs:team_create", args=[program_a.pk]),
        {
            "name": "Équipe Vivre",
            "kind": "organization",
            "side": "mentor",
            "members": [mentor.pk, other.pk],
            "referent": other.pk,
        },
    )
    assert response.status_code == 302
    team = Team.objects.get(name="Équipe Vivre")
    assert set(program_a.roles.filter(team=team).values_list("person", flat=True)) == {
        mentor.pk,
        other.pk,
    }
    assert team.memberships.get(is_referent=True).person == other
    response = as_coordinator.post(reverse("programs:team_dissolve", args=[program_a.pk, team.pk]))
    assert response.status_code == 302
    assert not Team.objects.filter(pk=team.pk).exists()
    assert program_a.roles.filter(person__in=[mentor, other]).count() == 2


def test_a_team_needs_its_referent_among_its_members(as_coordinator, program_a, mentor, mentee):
    other = make_person("Nora", "Mentore")
    assign_role(program=program_a, person=other, kind=Role.Kind.MENTOR)
    response = as_coordinator.post(
        reverse("programs:team_create", args=[program_a.pk]),
        {
            "name": "Équipe Vivre",
            "kind": "organization",
            "side": "mentor",
            "members": [mentor.pk, mentee.pk],
            "referent": other.pk,
        },
    )
    assert response.status_code == 200
    assert (
        "n’a pas le rôle" in response.content.decode() or "référence" in response.content.decode()
    )
    assert not Team.objects.exists()


def test_a_team_name_is_unique_in_the_program(as_coordinator, program_a, team, mentee):
    second = make_person("Zoé", "Mentorée")
    assign_role(program=program_a, person=second, kind=Role.Kind.MENTEE)
    response = as_coordinator.post(
        reverse("programs:team_create", args=[program_a.pk]),
        {
            "name": "equipe vivre",
            "kind": "city",
            "side": "mentee",
            "members": [mentee.pk, second.pk],
            "referent": mentee.pk,
        },
    )
    assert response.status_code == 200
    assert "déjà une équipe" in response.content.decode()
    assert Team.objects.count() == 1


def test_matching_page_links_each_missing_item_to_the_page_that_fixes_it(
    as_coordinator, program_a, mentee, team
):
    page = as_coordinator.get(reverse("matching:home", args=[program_a.pk])).content.decode()
    assert reverse("programs:person", args=[program_a.pk, mentee.pk]) in page
    assert reverse("programs:team", args=[program_a.pk, team.pk]) in page


def test_an_organization_created_from_a_profile_becomes_the_persons(
    as_coordinator, program_a, mentee
):
    url = reverse("programs:organization_create", args=[program_a.pk])
    response = as_coordinator.post(
        f"{url}?personne={mentee.pk}", {"name": "Épicerie Test", "kind": "nonprofit"}
    )
    assert response.url == reverse("programs:person", args=[program_a.pk, mentee.pk])
    mentee.refresh_from_db()
    assert mentee.organization.name == "Épicerie Test"


def test_a_person_of_another_program_is_never_given_the_organization(
    as_coordinator, program_a, outsider
):
    url = reverse("programs:organization_create", args=[program_a.pk])
    as_coordinator.post(f"{url}?personne={outsider.pk}", {"name": "Épicerie Test", "kind": "coop"})
    outsider.refresh_from_db()
    assert outsider.organization is None


def test_a_duplicate_caught_from_a_profile_offers_to_choose_the_existing_one(
    as_coordinator, program_a, mentee, org_a
):
    url = reverse("programs:organization_create", args=[program_a.pk])
    page = as_coordinator.post(f"{url}?personne={mentee.pk}", {"name": org_a.name, "kind": "coop"})
    choose = (
        reverse("programs:person", args=[program_a.pk, mentee.pk]) + f"?organisation={org_a.pk}"
    )
    assert choose in page.content.decode()
    form = as_coordinator.get(choose).context["form"]
    assert form["organization"].value() == org_a.pk


def test_dissolving_keeps_a_team_that_a_mentoring_group_had(program_a, team, mentee, coordinator):
    from maillage.mentoring.services import create_group
    from maillage.programs.services import dissolve_team

    create_group(
        program=program_a,
        mentor_roles=list(program_a.roles.filter(team=team)),
        mentee_roles=[program_a.roles.get(person=mentee)],
        mentor_team=team,
        approved_by=coordinator.user,
    )
    dissolve_team(program=program_a, team=team, by=coordinator.user)
    assert not program_a.roles.filter(team=team).exists()
    assert team.mentoring_groups.count() == 1


def test_another_programs_organization_cannot_be_edited(as_coordinator, program_a, outsider):
    theirs = Organization.objects.create(name="Ferme de B")
    outsider.organization = theirs
    outsider.save()
    url = reverse("programs:organization", args=[program_a.pk, theirs.pk])
    assert as_coordinator.get(url).status_code == 404
    assert as_coordinator.post(url, {"name": "Pris", "kind": "coop"}).status_code == 404


def test_a_stale_organization_edit_changes_nothing(as_coordinator, program_a, org_a):
    url = reverse("programs:organization", args=[program_a.pk, org_a.pk])
    response = as_coordinator.post(
        url, {"name": "Nouveau nom", "kind": "coop", "updated_at": "2000-01-01T00:00:00"}
    )
    assert "Quelqu’un d’autre a modifié cette fiche" in response.content.decode()
    org_a.refresh_from_db()
    assert org_a.name == "Vivre Ensemble (fictif)"


def test_a_team_of_one_organization_gives_it_to_members_who_had_none(
    as_coordinator, program_a, mentor
):
    """The mentors of an organization's team complete their own profiles: the team's sector and
    region count as theirs, as they do for the matching."""
    home = Organization.objects.create(
        name="Frigo Solidaire",
        sector=Sector.objects.get(code="communautaire"),
        territory=Territory.objects.filter(kind="mrc").first(),
    )
    mine = Organization.objects.create(name="Autre organisme")
    newcomer = make_person("Nora", "Mentore")
    loyal = make_person("Omar", "Mentor", org=mine)
    for person in (newcomer, loyal):
        assign_role(program=program_a, person=person, kind=Role.Kind.MENTOR)
    response = as_coordinator.post(
        reverse("programs:team_create", args=[program_a.pk]),
        {
            "name": "Équipe Frigo",
            "kind": "organization",
            "side": "mentor",
            "organization": home.pk,
            "members": [newcomer.pk, loyal.pk],
            "referent": loyal.pk,
        },
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    loyal.refresh_from_db()
    assert newcomer.organization == home
    assert loyal.organization == mine  # somebody's own organization is never replaced
    role = program_a.roles.select_related("team__organization").get(person=loyal)
    missing = missing_profile_fields(role)
    assert "secteur" not in missing and "région" not in missing
