"""On a phone (390 × 844), in French, from the pages only: the coordinator opens self-matching;
Élise asks Marc, who has one seat left; Bruno's request for the same seat is refused with the
reason shown; Marc accepts Élise; the coordinator approves; Élise sees her group on her home."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from maillage.core.models import Organization, Person, Sector, Territory
from maillage.programs.models import Role
from maillage.programs.services import assign_role, create_program

from .conftest import axe_violations, page_widths, shoot

PASSWORD = "mot-de-passe-du-test-e2e"
PHONE = {"width": 390, "height": 844}


def person(first: str, last: str, territory: str | None = None, **extra) -> Person:
    email = f"{first.lower()}.{last.lower()}@exemple.org".replace("é", "e")
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    org = None
    if territory:
        org = Organization.objects.create(
            name=f"Organisme de {first}",
            sector=Sector.objects.get(code="communautaire"),
            territory=Territory.objects.get(code=territory),
        )
    return Person.objects.create(
        user=user,
        first_name=first,
        last_name=last,
        email=email,
        organization=org,
        languages=["fr"],
        availability=["wed-pm"],
        **extra,
    )


@pytest.fixture
def program(reference_data):
    lea = person("Léa", "Coord")
    program = create_program(by=lea, title="Maillage 2027", theme="Réemploi alimentaire")
    marc = person(
        "Marc",
        "Tremblay",
        "QC-16",
        working_style="structured",
        expertise="Tournées de collecte, camions réfrigérés, entreposage au froid.",
    )
    assign_role(program=program, person=marc, kind=Role.Kind.MENTOR, capacity=1)
    for first, last, region, needs in (
        ("Élise", "Bouchard", "QC-02", "Notre camion réfrigéré vieillit ; tournées à revoir."),
        ("Bruno", "Cloutier", "QC-01", "Organiser le tri et l’entreposage au froid."),
    ):
        mentee = person(first, last, region, working_style="intuitive")
        role = assign_role(program=program, person=mentee, kind=Role.Kind.MENTEE)
        role.needs = needs
        role.save()
    return program


@pytest.fixture
def phone(browser, live_server) -> Iterator:
    def open_as(email: str):
        context = browser.new_context(locale="fr-CA", viewport=PHONE, bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(live_server.url + "/comptes/login/")
        page.get_by_label("Courriel").fill(email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state("load")
        return page

    contexts: list = []
    yield open_as
    for context in contexts:
        context.close()


def go_home(page) -> None:
    """« Mes programmes », from the header folded under « Menu » on a phone."""
    page.locator("header.site .menu > summary").click()
    page.get_by_role("link", name="Mes programmes").first.click()


def fits(page) -> None:
    width, screen = page_widths(page)
    assert width <= screen, (width, screen)
    assert axe_violations(page) == []


def test_a_mentee_takes_the_last_seat_and_the_next_one_is_told_why(program, phone):
    lea = phone("lea.coord@exemple.org")
    lea.get_by_role("link", name="Maillage 2027").first.click()
    lea.get_by_role("link", name="Jumelage", exact=True).click()
    lea.get_by_label(re.compile("Ouvrir l’auto-jumelage")).check()
    lea.get_by_role("button", name="Enregistrer l’auto-jumelage").click()
    expect(lea.get_by_text("Auto-jumelage ouvert aux personnes mentorées.")).to_be_visible()
    fits(lea)
    shoot(lea, "selfmatch-coordinator-requests-390")

    elise = phone("elise.bouchard@exemple.org")
    elise.get_by_role(
        "link", name="Choisir votre côté mentor : parcourir les profils"
    ).first.click()
    expect(elise.get_by_role("heading", level=1)).to_have_text("Choisir mon côté mentor")
    card = elise.get_by_role("article").filter(has_text="Marc Tremblay")
    expect(card.get_by_text("1 place libre")).to_be_visible()
    expect(card.get_by_text("Pourquoi ce profil vous convient")).to_be_visible()
    fits(elise)
    shoot(elise, "selfmatch-profiles-390")
    elise.set_viewport_size({"width": 1280, "height": 900})
    shoot(elise, "selfmatch-profiles-1280")
    elise.set_viewport_size(PHONE)
    # What Marc sees of her is hers to choose: name and track by default.
    elise.get_by_role("link", name="Ma fiche visible").click()
    elise.get_by_label("Montrer mes besoins").check()
    elise.get_by_role("button", name="Enregistrer ma fiche").click()
    expect(elise.get_by_text("Fiche enregistrée")).to_be_visible()
    fits(elise)
    shoot(elise, "selfmatch-my-card-390")
    elise.get_by_role("navigation", name="Auto-jumelage").get_by_role(
        "link", name="Profils"
    ).click()
    card = elise.get_by_role("article").filter(has_text="Marc Tremblay")
    card.get_by_text("Demander Marc Tremblay").click()
    card.get_by_label("Votre message").fill("Bonjour Marc, vos tournées de collecte m’inspirent.")
    card.get_by_role("button", name="Envoyer ma demande").dblclick()
    expect(elise.get_by_text("Demande envoyée")).to_be_visible()
    expect(elise.get_by_text("En attente de réponse")).to_have_count(1)
    fits(elise)
    shoot(elise, "selfmatch-my-request-390")

    bruno = phone("bruno.cloutier@exemple.org")
    bruno.get_by_role(
        "link", name="Choisir votre côté mentor : parcourir les profils"
    ).first.click()
    card = bruno.get_by_role("article").filter(has_text="Marc Tremblay")
    expect(card.get_by_role("button", name="Demander")).to_be_disabled()
    expect(card.get_by_text(re.compile("^Plus de place"))).to_be_visible()
    fits(bruno)
    shoot(bruno, "selfmatch-refused-390")

    marc = phone("marc.tremblay@exemple.org")
    marc.get_by_role("link", name="Répondre à 1 demande de jumelage").first.click()
    request = marc.get_by_role("article").filter(has_text="Élise Bouchard")
    request.get_by_text("Accepter", exact=True).click()
    request.get_by_label("Message à la personne").fill("Avec plaisir, Élise !")
    fits(marc)
    shoot(marc, "selfmatch-answer-390")
    request.get_by_role("button", name="Envoyer ma réponse").click()
    expect(marc.get_by_text("Réponse envoyée à la personne.")).to_be_visible()

    go_home(lea)
    lea.get_by_role("link", name="Approuver 1 groupe choisi par les participant·es").first.click()
    lea.get_by_role("button", name="Approuver le groupe de Marc Tremblay").click()
    expect(lea.get_by_text("Groupe « Marc Tremblay » approuvé et formé.")).to_be_visible()
    fits(lea)
    shoot(lea, "selfmatch-approved-390")

    go_home(elise)
    next_step = elise.locator(".next-step")
    expect(next_step.get_by_role("link", name=re.compile("« Marc Tremblay »"))).to_be_visible()
    fits(elise)
    shoot(elise, "selfmatch-home-group-390")
