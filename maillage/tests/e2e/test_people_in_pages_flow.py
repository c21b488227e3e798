"""In French, the coordinator of a new program (no demo) keeps organizations, people and teams
in pages: an organization with its sector and region, a person's matching profile, a mentor
team of two with its referent; then an « À compléter » of the matching page leads to the page
that fixes it."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from maillage.core.models import Organization, Person, Team
from maillage.programs.models import Role
from maillage.programs.services import create_program

from .conftest import axe_violations, shoot, sign_in

PASSWORD = "mot-de-passe-du-test-e2e"


def new_program():
    email = "lea.coord@exemple.org"
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    person = Person.objects.create(user=user, first_name="Léa", last_name="Coord", email=email)
    return create_program(by=person, title="Maillage 2027", theme="Réemploi alimentaire")


def check_page(page, name: str) -> None:
    assert axe_violations(page) == []
    shoot(page, name)
    # The same page on a phone: a coordinator fixes a profile between two meetings.
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def add_person(page, first: str, last: str, email: str, role: str) -> None:
    form = page.locator("form.stacked").last
    form.get_by_label("ou nouvelle personne : prénom").fill(first)
    form.get_by_label("nom", exact=True).fill(last)
    form.get_by_label("courriel").fill(email)
    form.get_by_label("Rôle").select_option(label=role)
    form.get_by_role("button", name="Attribuer").click()
    expect(page.get_by_text("Rôle attribué à")).to_be_visible()


def test_coordinator_keeps_people_in_pages_and_fixes_what_matching_lacks(page, reference_data):
    program = new_program()
    people_url = f"{page.base}/programmes/{program.pk}/personnes/"
    sign_in(page, "lea.coord@exemple.org", PASSWORD)

    # An organization with its sector and region.
    page.goto(people_url)
    page.get_by_role("link", name="Créer une organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle organisation")
    page.locator("#id_name").fill("Frigo Solidaire de Rimouski")
    page.get_by_label("Type").select_option(label="Organisme à but non lucratif")
    page.get_by_label("Secteur").select_option(label="Communautaire")
    page.get_by_label("Région ou MRC").select_option(label="Rimouski-Neigette")
    page.get_by_label("Phase de maturité").select_option(label="Développement")
    check_page(page, "fr-organization-new")
    page.get_by_role("button", name="Créer l’organisation").click()
    expect(page.get_by_text("Organisation créée")).to_be_visible()
    org = Organization.objects.get(name="Frigo Solidaire de Rimouski")
    assert org.sector.code == "communautaire" and org.territory.name_fr == "Rimouski-Neigette"

    # A second one of the same name is caught: the first is offered instead.
    page.get_by_role("link", name="Créer une organisation").click()
    page.locator("#id_name").fill("frigo solidaire de  Rimouski")
    page.get_by_role("button", name="Créer l’organisation").click()
    expect(page.get_by_role("link", name=re.compile("Ouvrir « Frigo Solidaire"))).to_be_visible()
    check_page(page, "fr-organization-duplicate")
    assert Organization.objects.filter(name__icontains="frigo").count() == 1

    # People: two mentors and a mentee.
    page.goto(people_url)
    add_person(page, "Amélie", "Gagné", "amelie.gagne@exemple.org", "Mentor·e")
    add_person(page, "Bruno", "Roy", "bruno.roy@exemple.org", "Mentor·e")
    add_person(page, "Chloé", "Pelletier", "chloe.pelletier@exemple.org", "Personne mentorée")
    check_page(page, "fr-people")

    # Amélie's matching profile.
    page.get_by_role("link", name="Amélie Gagné").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amélie Gagné")
    page.get_by_label("Organisation", exact=True).select_option(label="Frigo Solidaire de Rimouski")
    page.get_by_label("Poste").fill("Directrice")
    page.get_by_label("Français").check()
    page.get_by_label("Anglais").check()
    page.get_by_label("Style de travail").select_option(label="Structuré")
    page.get_by_label("lundi matin").check()
    page.get_by_label("jeudi après-midi").check()
    page.get_by_label("Expertise").fill("Logistique de collecte et chaîne de froid.")
    check_page(page, "fr-profile")
    page.get_by_role("button", name="Enregistrer le profil").click()
    expect(page.get_by_text("Profil enregistré.")).to_be_visible()
    amelie = Person.objects.get(email="amelie.gagne@exemple.org")
    assert amelie.organization == org and amelie.availability == ["mon-am", "thu-pm"]

    # A mentor team of Amélie and Bruno, Bruno as the referent.
    page.goto(people_url)
    page.get_by_role("link", name="Créer une équipe").click()
    page.get_by_label("Nom de l’équipe").fill("Équipe Frigo")
    page.get_by_label("Type d’équipe").select_option(label="Équipe d’une organisation")
    page.get_by_label("Mentor·es", exact=True).check()
    page.get_by_label("Organisation principale").select_option(label="Frigo Solidaire de Rimouski")
    page.get_by_label(re.compile("^Amélie Gagné")).check()
    page.get_by_label(re.compile("^Bruno Roy")).check()
    page.get_by_label("Personne-référence").select_option(label="Bruno Roy")
    check_page(page, "fr-team-new")
    page.get_by_role("button", name="Créer l’équipe").click()
    expect(page.get_by_text("Équipe créée")).to_be_visible()
    team = Team.objects.get(name="Équipe Frigo")
    assert team.memberships.get(is_referent=True).person.first_name == "Bruno"
    assert program.roles.filter(kind=Role.Kind.MENTOR, team=team).count() == 2

    # The matching page says what Chloé's file lacks; the link leads to where it is fixed.
    page.goto(f"{page.base}/programmes/{program.pk}/jumelage/")
    check_page(page, "fr-matching-to-complete")
    row = page.get_by_role("row", name=re.compile("Chloé Pelletier"))
    row.get_by_role("link", name=re.compile("aucun texte de besoins")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chloé Pelletier")
    page.get_by_label("Besoins (pour le jumelage)").fill("Organiser nos tournées de collecte.")
    page.get_by_role("button", name="Enregistrer le profil").click()
    expect(page.get_by_text("Profil enregistré.")).to_be_visible()
    page.goto(f"{page.base}/programmes/{program.pk}/jumelage/")
    row = page.get_by_role("row", name=re.compile("Chloé Pelletier"))
    expect(row.get_by_role("link", name=re.compile("aucun texte de besoins"))).to_have_count(0)

    # The team's page, reached from the mentor side's row.
    page.get_by_role("link", name="Équipe Frigo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Équipe Frigo")
    check_page(page, "fr-team")
