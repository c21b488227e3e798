"""In French: a mentee on a 390 px phone declares, from « Mon compte », that she is a woman for
her program's inclusion objectives, reads what is kept and why, and withdraws; a coordinator,
from her program's dashboard, picks the groups, names her own, sets an objective and sees the
counts, never one under the threshold. No page scrolls sideways and axe passes."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from maillage.core.models import Person
from maillage.inclusion import services
from maillage.inclusion.models import Declaration, InclusionConsent, Purpose
from maillage.intake.models import Application
from maillage.programs.models import Role
from maillage.programs.services import assign_role, create_program

from .conftest import axe_violations, fits_the_screen, shoot, sign_in

PASSWORD = "mot-de-passe-du-test-e2e"


def person(first: str, last: str, **extra) -> Person:
    email = f"{first.lower()}.{last.lower()}@exemple.org"
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    return Person.objects.create(user=user, first_name=first, last_name=last, email=email, **extra)


def test_mentee_declares_sees_what_is_kept_and_withdraws_on_a_phone(phone, reference_data):
    page = phone
    coordinator = person("Lea", "Coord")
    program = create_program(by=coordinator, title="Maillage 2027", theme="Réemploi alimentaire")
    services.add_group(program=program, by=coordinator.user, key="women")
    services.add_group(program=program, by=coordinator.user, key="newcomers")
    mentee = person("Sophie", "Lavoie")
    assign_role(program=program, person=mentee, kind=Role.Kind.MENTEE)

    sign_in(page, mentee.email, PASSWORD)
    page.goto(f"{page.base}/mon-compte/")
    page.get_by_role("link", name="Mon auto-identification (facultative)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon auto-identification")
    page.get_by_role("link", name="Voir, répondre ou retirer").click()
    expect(page.get_by_text("Vous seul·e voyez vos réponses")).to_be_visible()
    assert fits_the_screen(page)
    assert axe_violations(page) == []
    shoot(page, "inclusion-mine-empty-390")

    objectives = page.locator("#objectives")
    objectives.get_by_label("Femmes").check()
    # Without the consent box, nothing is kept and the tick stays.
    objectives.get_by_role("button", name="Enregistrer ma réponse").click()
    expect(page.get_by_text("Cochez la case de consentement").first).to_be_visible()
    objectives = page.locator("#objectives")
    expect(objectives.get_by_label("Femmes")).to_be_checked()
    assert not Declaration.objects.exists()
    objectives.get_by_label("J’ai lu ce texte et j’y consens").check()
    objectives.get_by_role("button", name="Enregistrer ma réponse").click()

    expect(page.get_by_text("Votre réponse est enregistrée. Merci.")).to_be_visible()
    objectives = page.locator("#objectives")
    expect(objectives.get_by_role("heading", name="Ce que nous gardons")).to_be_visible()
    expect(objectives.get_by_text("Je fais partie de : Femmes")).to_be_visible()
    expect(objectives.get_by_text("Pourquoi : le programme s’est donné")).to_be_visible()
    consent = InclusionConsent.objects.get(person=mentee, purpose=Purpose.OBJECTIVES)
    assert consent.version == services.CONSENT_VERSION and consent.language == "fr"
    assert fits_the_screen(page)
    assert axe_violations(page) == []
    shoot(page, "inclusion-mine-declared-390")

    # Matching: « Je préfère ne pas répondre », never asked again.
    page.locator("#matching").get_by_role("button", name="Je préfère ne pas répondre").click()
    expect(page.get_by_text("Nous ne vous le demanderons plus.")).to_be_visible()
    expect(page.locator("#matching").get_by_text("Vous préférez ne pas répondre")).to_be_visible()

    page.locator("#objectives").get_by_role(
        "button", name="Retirer ma réponse et l’effacer"
    ).click()
    expect(page.get_by_text("Votre réponse est retirée et effacée.")).to_be_visible()
    expect(page.get_by_text("Je fais partie de : Femmes")).to_have_count(0)
    assert not Declaration.objects.filter(person=mentee).exists()
    page.goto(f"{page.base}/mes-donnees/")
    expect(page.get_by_text("Aucune réponse gardée.")).to_be_visible()
    assert fits_the_screen(page)
    shoot(page, "inclusion-my-data-after-withdrawal-390")

    # She answers again, then withdraws from « Mes consentements », where Law 25 lists them all.
    page.goto(f"{page.base}/programmes/{program.pk}/mon-identification/")
    objectives = page.locator("#objectives")
    objectives.get_by_label("Femmes").check()
    objectives.get_by_label("J’ai lu ce texte et j’y consens").check()
    objectives.get_by_role("button", name="Enregistrer ma réponse").click()
    expect(page.get_by_text("Votre réponse est enregistrée. Merci.")).to_be_visible()
    page.goto(f"{page.base}/mon-compte/")
    page.get_by_role("link", name="Mes consentements : les voir, les retirer").click()
    expect(page.get_by_role("heading", name="Auto-identification (inclusion)")).to_be_visible()
    card = page.locator("section.panel").filter(has_text="version 1").filter(has_text="objectifs")
    expect(card.get_by_text("Consentement donné")).to_be_visible()
    expect(card.get_by_text("Français")).to_be_visible()
    assert fits_the_screen(page)
    assert axe_violations(page) == []
    shoot(page, "inclusion-my-consents-390")
    card.get_by_role("button", name="Retirer ce consentement et effacer mes réponses").click()
    expect(
        page.get_by_text("Votre consentement est retiré et vos réponses sont effacées.")
    ).to_be_visible()
    card = page.locator("section.panel").filter(has_text="version 1").filter(has_text="objectifs")
    expect(card.get_by_text("Consentement retiré")).to_be_visible()
    expect(card.get_by_role("link", name="Répondre de nouveau")).to_be_visible()
    assert not Declaration.objects.filter(person=mentee).exists()
    assert fits_the_screen(page)
    assert axe_violations(page) == []
    shoot(page, "inclusion-my-consents-withdrawn-390")


def test_coordinator_sets_groups_and_objectives_and_sees_the_counts(page, reference_data, settings):
    settings.MAILLAGE_SMALL_CELL_K = 5
    coordinator = person("Lea", "Coord")
    program = create_program(by=coordinator, title="Maillage 2027", theme="Réemploi alimentaire")

    sign_in(page, coordinator.email, PASSWORD)
    page.goto(f"{page.base}/programmes/")
    shoot(page, "inclusion-coordinator-programs-1280")
    page.get_by_role("link", name="Maillage 2027").first.click()
    page.get_by_role("link", name="Groupes, objectifs et indicateurs d’inclusion").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inclusion")
    page.get_by_role("button", name="Suivre : Femmes").click()
    expect(page.get_by_text("Groupe ajouté : Femmes.")).to_be_visible()
    page.get_by_role(
        "button", name="Suivre : Personnes immigrantes ou nouvellement arrivées"
    ).click()
    page.get_by_label("Nom du groupe (français)").fill("Personnes proches aidantes")
    page.get_by_label("Nom du groupe (anglais)").fill("Caregivers")
    page.get_by_role("button", name="Ajouter le groupe").click()
    expect(
        page.get_by_role("rowheader", name="Personnes proches aidantes Caregivers")
    ).to_be_visible()

    page.get_by_role("link", name="Objectifs et noms : Femmes").click()
    page.get_by_label("Objectif parmi les candidatures (%)").fill("40")
    page.get_by_label("Objectif parmi les personnes sélectionnées (%)").fill("140")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Un objectif est un pourcentage de 0 à 100.").first).to_be_visible()
    expect(page.get_by_label("Objectif parmi les candidatures (%)")).to_have_value("40")
    page.get_by_label("Objectif parmi les personnes sélectionnées (%)").fill("40")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Groupe et objectifs enregistrés.")).to_be_visible()

    # Ten applicants answer in their own pages (their part of the story): four, then five women.
    women = program.inclusion_groups.get(key="women")
    people = []
    for i in range(10):
        p = person(f"Candidate{i}", "Test")
        assign_role(program=program, person=p, kind=Role.Kind.MENTEE)
        Application.objects.create(
            program=program, organization_name=f"Organisme {i}", email=p.email, person=p
        )
        people.append(p)
    for p in people[:4]:
        services.declare(
            person=p,
            program=program,
            purpose=Purpose.OBJECTIVES,
            by=p.user,
            members=[women],
            consented=True,
            k=5,
        )
    page.reload()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Femmes"))
    expect(row.get_by_text("masqué").first).to_be_visible()
    expect(page.get_by_text("Moins de 5 personnes ont répondu")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "inclusion-home-hidden-1280")
    # The download holds what the page shows: « x » where it masks, never the four.
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    lines = Path(info.value.path()).read_text(encoding="utf-8-sig").splitlines()
    women_rows = [line.split(",") for line in lines if line.startswith("Femmes,Candidatures")]
    assert women_rows and women_rows[0][3] == "x", lines
    assert not any(",4," in line for line in lines), lines
    services.declare(
        person=people[4],
        program=program,
        purpose=Purpose.OBJECTIVES,
        by=people[4].user,
        members=[women],
        consented=True,
        k=5,
    )
    page.reload()
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Femmes"))
    expect(row.get_by_text("50 % (5 sur 10)")).to_be_visible()
    expect(row.get_by_text("atteint")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "inclusion-home-counts-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert fits_the_screen(page)
    shoot(page, "inclusion-home-counts-390")
