"""In French: on an empty platform the administrator creates a program from the pilot's template,
finds its default form and criteria, shares coordination with a colleague and creates a network
that the colleague runs; a coordinator
duplicates the demo's finished 2025 edition into a 2027 one and reads what carried over. Every new
page passes axe-core, at 1280 px and at 390 px."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from maillage.core.models import Organization
from maillage.demo.editions import DEMO_PASSWORD
from maillage.demo.pilot import build_past_edition
from maillage.programs.models import Program, Role

from .conftest import axe_violations, shoot, sign_in

ADMIN = "admin@exemple.org"
PASSWORD = "mot-de-passe-du-test"


def _check(page, name: str) -> None:
    assert axe_violations(page) == []
    shoot(page, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert axe_violations(page) == []
    shoot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_administrator_creates_a_program_on_an_empty_platform(page, reference_data):
    get_user_model().objects.create_superuser(ADMIN, ADMIN, PASSWORD)
    Organization.objects.create(name="Vivre Ensemble (fictif)")
    sign_in(page, ADMIN, PASSWORD)

    page.goto(page.base + "/programmes/")
    _check(page, "fr-programs-empty")
    page.get_by_role("link", name="Créer un programme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un programme")
    expect(page.get_by_text("20 h par groupe")).to_be_visible()
    _check(page, "fr-program-new")
    page.get_by_label("Titre").fill("Maillage alimentaire 2027")
    page.get_by_label("Thème").fill("Réemploi alimentaire")
    page.get_by_label("Organisation coordonnatrice existante").select_option(
        label="Vivre Ensemble (fictif)"
    )
    page.get_by_label("Début du mentorat").fill("2027-02-01")
    page.get_by_label("Fin du mentorat").fill("2027-07-31")
    page.get_by_role("button", name="Créer le programme").click()
    expect(page.get_by_text("Programme créé avec les paramètres du projet pilote")).to_be_visible()
    program = Program.objects.get(title="Maillage alimentaire 2027")
    _check(page, "fr-program-created")

    # The pilot's interest form and seven criteria are there.
    page.get_by_role("link", name="Formulaires").click()
    expect(page.get_by_role("main")).to_contain_text(program.forms.get().title_fr)
    page.get_by_role("link", name="Critères", exact=True).click()
    expect(page.locator("main")).to_contain_text(program.criteria.first().label_fr)
    assert program.criteria.count() == 7

    # A colleague shares the coordination.
    page.get_by_role("link", name="Personnes", exact=True).click()
    page.get_by_label("Rôle").select_option(label="Coordination")
    page.get_by_label("ou nouvelle personne : prénom").fill("Gabrielle")
    page.get_by_label("nom", exact=True).fill("Collègue")
    page.get_by_label("courriel", exact=True).fill("gabrielle.collegue@exemple.org")
    page.get_by_role("button", name="Attribuer").click()
    expect(page.get_by_text("Rôle attribué")).to_be_visible()
    expect(page.get_by_role("button", name="Quitter la coordination")).to_be_visible()
    _check(page, "fr-program-people")
    assert program.roles.filter(kind=Role.Kind.COORDINATOR).count() == 2

    # The administrator creates a network from the header's « Réseaux » and names who runs it.
    page.get_by_role("banner").get_by_role("link", name="Réseaux").click()
    page.get_by_role("link", name="Créer un réseau").click()
    expect(page.get_by_label("Nom du réseau")).to_be_visible()
    _check(page, "fr-network-new")
    page.get_by_label("Nom du réseau").fill("Réseau du réemploi")
    page.get_by_label("Organisation de soutien (backbone) existante").select_option(
        label="Vivre Ensemble (fictif)"
    )
    page.get_by_label("Courriel de la personne qui animera le réseau").fill(
        "gabrielle.collegue@exemple.org"
    )
    page.get_by_role("button", name="Créer le réseau").click()
    expect(page.get_by_text("Réseau créé")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réseau du réemploi")


def test_coordinator_duplicates_the_2025_edition_into_2027(page, demo):
    past = build_past_edition()
    sign_in(page, "camille.gagnon@demo.maillage.org", DEMO_PASSWORD)
    page.goto(f"{page.base}/programmes/{past.pk}/")
    page.get_by_role("link", name="Dupliquer pour une nouvelle édition").click()
    _check(page, "fr-program-duplicate")
    page.get_by_label("Titre").fill("Maillage alimentaire 2027")
    page.get_by_label("Début du mentorat").fill("2027-02-01")
    page.get_by_label("Fin du mentorat").fill("2027-07-31")
    page.get_by_role("button", name="Créer la nouvelle édition").click()
    expect(page.get_by_text("Nouvelle édition créée")).to_be_visible()

    copy = Program.objects.get(title="Maillage alimentaire 2027")
    tracks = past.tracks.count()
    criteria = past.criteria.filter(archived_at=None).count()
    questionnaires = past.questionnaires.count()
    assert tracks and criteria and questionnaires
    message = page.locator(".messages").first
    text = message.inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert f"{tracks} volets" in text
    assert f"{criteria} critères" in text
    assert f"{questionnaires} questionnaire" in text
    assert "formulaire" in text and "mentor" in text
    assert copy.applications.count() == 0
    assert copy.tracks.count() == tracks
    assert copy.questionnaires.count() == questionnaires
    _check(page, "fr-program-duplicated")
