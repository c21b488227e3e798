"""In French, on a phone: a selected mentee follows « Compléter votre profil de jumelage » from
« Mes programmes », fills her matching profile (and her organization's sector and region, still
empty) and the page says it is complete; the page never scrolls sideways and axe passes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from maillage.core.models import Organization, Person
from maillage.programs.models import Role
from maillage.programs.services import assign_role, create_program

from .conftest import axe_violations, fits_the_screen, shoot, sign_in

PASSWORD = "mot-de-passe-du-test-e2e"


def person(first: str, last: str, **extra) -> Person:
    email = f"{first.lower()}.{last.lower()}@exemple.org"
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    return Person.objects.create(user=user, first_name=first, last_name=last, email=email, **extra)


def test_mentee_completes_her_matching_profile_on_a_phone(page, reference_data):
    coordinator = person("Léa", "Coord")
    program = create_program(by=coordinator, title="Maillage 2027", theme="Réemploi alimentaire")
    organization = Organization.objects.create(name="Frigo Solidaire de Rimouski")
    mentee = person("Sophie", "Lavoie", organization=organization)
    assign_role(program=program, person=mentee, kind=Role.Kind.MENTEE)

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, mentee.email, PASSWORD)
    page.goto(f"{page.base}/programmes/")
    page.get_by_role("link", name="Compléter votre profil de jumelage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil de jumelage")
    expect(page.get_by_text("Il manque : langues, disponibilités")).to_be_visible()
    assert fits_the_screen(page)
    assert axe_violations(page) == []
    shoot(page, "my-profile-to-complete-390")

    page.get_by_label("Français", exact=True).check()
    page.get_by_label("lundi matin").check()
    page.get_by_label("jeudi après-midi").check()
    page.get_by_label("Style de travail").select_option(label="Structuré")
    page.get_by_label("Secteur de votre organisation").select_option(label="Communautaire")
    page.get_by_label("Région ou MRC de votre organisation").select_option(
        label="Rimouski-Neigette"
    )
    page.get_by_label("Vos besoins (pour le jumelage)").fill(
        "Recruter et garder des bénévoles pour la collecte des invendus."
    )
    page.get_by_role("button", name="Enregistrer mon profil").click()

    expect(page.get_by_text("Profil enregistré.")).to_be_visible()
    expect(page.get_by_text("profil complet", exact=True)).to_be_visible()
    expect(page.get_by_text("Il manque")).to_have_count(0)
    assert fits_the_screen(page)
    assert axe_violations(page) == []
    shoot(page, "my-profile-complete-390")

    # Once complete, « Mes programmes » no longer asks for it.
    page.goto(f"{page.base}/programmes/")
    expect(page.get_by_role("link", name="Compléter votre profil de jumelage")).to_have_count(0)
    shoot(page, "my-programs-after-profile-390")
