"""In French, a coordinator makes a mentored city one side: three people of Rimouski become a
city team of mentees in « Personnes »; the matching page shows the team as one side with its
members, never split; the group accepted there lists all three on its page."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from maillage.core.models import Organization, Person, Sector, Team, Territory
from maillage.mentoring.models import Group
from maillage.programs.models import Role
from maillage.programs.services import assign_role, create_program

from .conftest import axe_violations, shoot, sign_in
from .test_people_in_pages_flow import add_person

PASSWORD = "mot-de-passe-du-test-e2e"
CITY = ("Anne Ouellet", "Luc Gagnon", "Zoé Pelletier")


def organization(name: str, territory: str) -> Organization:
    return Organization.objects.create(
        name=name,
        sector=Sector.objects.get(code="communautaire"),
        territory=Territory.objects.get(code=territory),
    )


def program_with_a_mentor_and_a_mentee():
    """Made with the services: Marc mentors from Montérégie, Élise is a mentee of Saguenay."""
    email = "lea.coord@exemple.org"
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    lea = Person.objects.create(user=user, first_name="Léa", last_name="Coord", email=email)
    program = create_program(by=lea, title="Villes en réseau", theme="Revitalisation")
    marc = Person.objects.create(
        first_name="Marc",
        last_name="Tremblay",
        email="marc.tremblay@exemple.org",
        organization=organization("Réseau des villes", "QC-16"),
        expertise="Mobilisation citoyenne et plan d’action municipal.",
        availability=["wed-pm"],
        working_style="structured",
    )
    assign_role(program=program, person=marc, kind=Role.Kind.MENTOR)
    elise = Person.objects.create(
        first_name="Élise",
        last_name="Bouchard",
        email="elise.bouchard@exemple.org",
        organization=organization("Corporation de Jonquière", "QC-02"),
        availability=["wed-pm"],
        working_style="intuitive",
    )
    assign_role(program=program, person=elise, kind=Role.Kind.MENTEE)
    organization("Ville de Rimouski", "QC-01")
    return program


def check_page(page, name: str) -> None:
    assert axe_violations(page) == []
    shoot(page, name)


def test_a_mentored_city_is_one_side_from_people_to_its_group(page, reference_data):
    program = program_with_a_mentor_and_a_mentee()
    base = f"{page.base}/programmes/{program.pk}"
    sign_in(page, "lea.coord@exemple.org", PASSWORD)

    # Three people of Rimouski, then their city team (Luc as the referent).
    page.goto(f"{base}/personnes/")
    for name in CITY:
        first, last = name.split(" ")
        email = f"{first}.{last}@exemple.org".lower().replace("é", "e")
        add_person(page, first, last, email, "Personne mentorée")
    page.get_by_role("link", name="Zoé Pelletier").click()
    page.get_by_label("mercredi après-midi").check()
    page.get_by_role("button", name="Enregistrer le profil").click()
    expect(page.get_by_text("Profil enregistré.")).to_be_visible()
    page.goto(f"{base}/personnes/")
    page.get_by_role("link", name="Créer une équipe").click()
    page.get_by_label("Nom de l’équipe").fill("Ville de Rimouski")
    page.get_by_label("Type d’équipe").select_option(label="Équipe de ville ou de territoire")
    page.get_by_label("Personnes mentorées", exact=True).check()
    page.get_by_label("Organisation principale").select_option(label="Ville de Rimouski")
    for name in CITY:
        page.get_by_label(re.compile(f"^{name}")).check()
    page.get_by_label("Personne-référence").select_option(label="Luc Gagnon")
    check_page(page, "fr-mentee-team-new")
    page.get_by_role("button", name="Créer l’équipe").click()
    expect(page.get_by_text("Équipe créée")).to_be_visible()
    team = Team.objects.get(name="Ville de Rimouski")
    assert program.roles.filter(kind=Role.Kind.MENTEE, team=team).count() == 3

    # The matching page: four people, one of them a team of three, a single row for the team.
    page.get_by_role("link", name="Jumelage").click()
    expect(page.get_by_text("4 personnes mentorées")).to_be_visible()
    expect(page.get_by_text("Une équipe mentorée compte pour un seul côté")).to_be_visible()
    rows = page.locator("table:has(caption:text('Personnes mentorées et ce qui manque')) tbody tr")
    expect(rows).to_have_count(2)
    team_row = page.get_by_role("row", name=re.compile("Ville de Rimouski"))
    expect(team_row).to_contain_text("Anne Ouellet, Luc Gagnon, Zoé Pelletier")
    # What the team lacks is fixed on its page, which leads to each member's profile.
    team_url = f"/programmes/{program.pk}/equipes/{team.pk}/"
    fix = team_row.get_by_role("link", name=re.compile("style de travail non indiqué"))
    expect(fix).to_have_attribute("href", team_url)

    # One run: the team is one mentee of Marc's group, beside Élise.
    page.get_by_role("button", name="Lancer le jumelage").click()
    group = page.locator("article", has=page.get_by_role("heading", name=re.compile("Marc")))
    expect(group.locator("caption")).to_have_count(2)
    expect(group.get_by_text("Équipe : Anne Ouellet, Luc Gagnon, Zoé Pelletier")).to_be_visible()
    for name in CITY:
        expect(page.get_by_role("row", name=re.compile(f"^{name}"))).to_have_count(0)
    check_page(page, "fr-matching-mentee-team")

    # Accepted: the group's page lists the three people of the city and Élise.
    group.get_by_role("button", name=re.compile("Accepter ce groupe")).click()
    expect(page.get_by_text(re.compile("Groupe « Marc Tremblay » accepté"))).to_be_visible()
    page.get_by_role("link", name="Groupes", exact=True).click()
    page.get_by_role("link", name="Marc Tremblay").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Marc Tremblay")
    for name in [*CITY, "Élise Bouchard"]:
        expect(page.get_by_role("row", name=re.compile(name))).to_have_count(1)
    check_page(page, "fr-group-with-mentee-team")
    grouped = Group.objects.get(program=program)
    assert grouped.members.filter(side="mentee").count() == 4
