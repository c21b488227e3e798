"""In French, an accreditation from the missing evidence to a decision: the network's staff
appoint an assessor; the coordinator opens the program's *Design* dossier, sees what the data
cannot show, adds a document and a comment, and submits; the assessor finds the dossier on
« Mes programmes », rates each criterion and accredits. Every page: axe, and no sideways scroll
on a phone."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from maillage.accreditation.models import Dossier, Submission
from maillage.core.models import Organization, Person
from maillage.measurement import services as measurement
from maillage.measurement.models import NetworkRole
from maillage.programs.services import create_program

from .conftest import PHONE, axe_violations, page_widths, shoot, sign_in

PASSWORD = "mot-de-passe-du-test-e2e"
DESKTOP = {"width": 1280, "height": 900}


def _person(first: str, last: str) -> Person:
    email = f"{first}.{last}@exemple.org".lower().replace("é", "e").replace("è", "e")
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    return Person.objects.create(user=user, first_name=first, last_name=last, email=email)


def a_program_shared_with_a_network():
    """What the people have before this flow: Léa's program shared with a network that Sophie
    runs and whose steering committee Anne sits on."""
    lea = _person("Léa", "Coord")
    org = Organization.objects.create(name="Vivre Ensemble (fictif)")
    program = create_program(
        by=lea, title="Mentorat inclusif 2026", theme="Génie", coordinating_organization=org
    )
    network = measurement.create_network(
        backbone=Organization.objects.create(name="Réseau d’accréditation (fictif)"),
        name="Accréditation du mentorat (fictif)",
    )
    member = measurement.add_member(network=network, organization=org)
    measurement.attach_program(member=member, program=program, consent_by=lea)
    sophie, anne = _person("Sophie", "Soutien"), _person("Anne", "Évaluatrice")
    measurement.assign_network_role(network=network, person=sophie, kind=NetworkRole.Kind.STAFF)
    measurement.assign_network_role(network=network, person=anne, kind=NetworkRole.Kind.STEERING)
    return program, network


def check_page(page, name: str) -> None:
    assert axe_violations(page) == [], name
    shoot(page, f"{name}-1280")
    page.set_viewport_size(PHONE)
    width, visible = page_widths(page)
    assert width <= visible, f"{name}: {width}px wide on a {visible}px phone"
    shoot(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)


def sign_out(page) -> None:
    page.context.clear_cookies()


def test_from_missing_evidence_to_an_accreditation(page, reference_data, tmp_path):
    program, network = a_program_shared_with_a_network()

    # Sophie, the network's staff, appoints Anne from her home page.
    sign_in(page, "sophie.soutien@exemple.org", PASSWORD)
    page.get_by_role("link", name="Nommer les évaluateur·rices d’accréditation").click()
    page.get_by_label("Personne").select_option(label="Anne Évaluatrice")
    page.get_by_role("button", name="Nommer évaluateur·rice").click()
    expect(page.get_by_text("Anne Évaluatrice évalue désormais pour ce réseau.")).to_be_visible()
    check_page(page, "accreditation-assessors")
    sign_out(page)

    # Léa opens her program, then its accreditation.
    sign_in(page, "lea.coord@exemple.org", PASSWORD)
    page.get_by_role("link", name="Mentorat inclusif 2026").click()
    page.get_by_role("link", name="Accréditation", exact=True).click()
    check_page(page, "accreditation-home")
    page.get_by_role("button", name="Préparer ce dossier : Design").click()
    expect(page.get_by_role("heading", name="Dossier « Design »")).to_be_visible()
    training = page.locator("#critere-design-training")
    expect(training.get_by_text("Preuves manquantes")).to_be_visible()
    expect(
        training.get_by_text("Aucune formation n’est assignée aux personnes du programme.")
    ).to_be_visible()
    gauge_before = page.locator(".dossier-status strong").inner_text()
    check_page(page, "accreditation-dossier")

    # The missing evidence: a document and a comment on the training criterion.
    proof = tmp_path / "formations-2026.pdf"
    proof.write_bytes(b"%PDF-1.4\n% formations\n")
    page.locator(".missing-list").get_by_role("link", name="Formation des participant·es").click()
    training.get_by_text("Ajouter un document").click()
    training.get_by_label("Titre du document").fill("Formations données en 2026")
    training.get_by_label("Fichier").set_input_files(str(proof))
    training.get_by_role("button", name="Ajouter le document").click()
    expect(page.get_by_text("Document ajouté : Formations données en 2026.")).to_be_visible()
    training = page.locator("#critere-design-training")
    expect(training.get_by_text("Complet")).to_be_visible()
    assert page.locator(".dossier-status strong").inner_text() != gauge_before
    training.get_by_label("Commentaire de la coordination").fill(
        "Formation aux biais inconscients pour les mentor·es, en mars."
    )
    training.get_by_role("button", name="Enregistrer le commentaire").click()
    expect(page.get_by_text("Commentaire enregistré.")).to_be_visible()

    # Submission to Anne.
    page.get_by_role("link", name="Soumettre à l’évaluation").click()
    expect(page.get_by_text("Objectifs d’inclusion")).to_be_visible()  # still incomplete
    page.get_by_label("Évaluateur·rice").select_option(index=1)
    check_page(page, "accreditation-submit")
    page.get_by_role("button", name="Soumettre le dossier").click()
    expect(page.get_by_text("Dossier soumis.")).to_be_visible()
    expect(page.get_by_text("Soumis à l’évaluation").first).to_be_visible()
    sign_out(page)

    # Anne finds the dossier on her home page, rates each criterion and decides.
    sign_in(page, "anne.evaluatrice@exemple.org", PASSWORD)
    page.get_by_role("link", name="Évaluer 1 dossier d’accréditation").click()
    check_page(page, "accreditation-reviews")
    page.get_by_role("link", name="Mentorat inclusif 2026 — Design").click()
    expect(page.get_by_text("Formations données en 2026")).to_be_visible()
    check_page(page, "accreditation-review")
    ratings = {
        "design-selection": "Conforme",
        "design-inclusion": "Partiellement conforme",
        "design-tools": "Conforme",
        "design-training": "Exemplaire",
    }
    for code, label in ratings.items():
        section = page.locator(f"#critere-{code}")
        section.get_by_label(label, exact=True).check()
        section.get_by_role("button", name="Enregistrer l’appréciation").click()
        expect(page.get_by_text("Appréciation enregistrée.")).to_be_visible()
    decision = page.locator("#decider")
    decision.get_by_label("Accréditer", exact=True).check()
    decision.get_by_label("Niveau").select_option(label="Accréditation initiale")
    decision.get_by_label("Commentaire pour la coordination").fill("Bon départ : à suivre.")
    decision.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("Décision enregistrée et transmise à la coordination.")).to_be_visible()
    expect(page.get_by_text("Accrédité", exact=True).first).to_be_visible()
    check_page(page, "accreditation-decided")

    submission = Submission.objects.get(dossier__program=program)
    assert submission.outcome == Submission.Outcome.ACCREDITED
    assert submission.level == "initial" and submission.expires_on is not None
    assert Dossier.objects.get(program=program).status == Dossier.Status.ACCREDITED
    assert submission.ratings.count() == 4
