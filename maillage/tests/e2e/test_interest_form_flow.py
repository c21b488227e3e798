"""In French, a visitor applies through the public form with one mistake, corrects it without
retyping, and the coordinator finds the application, scores it and selects it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from maillage.demo.editions import DEMO_PASSWORD
from maillage.intake.models import Application
from maillage.programs.models import Role

from .conftest import axe_violations, shoot, sign_in

CONCEPT = (
    "Épicerie solidaire qui récupère les invendus de quatre commerces et les redistribue "
    "à prix modique ; 40 tonnes par année."
)


def test_visitor_applies_with_one_mistake_and_coordinator_selects(page, demo):
    form = demo.forms.first()
    page.goto(f"{page.base}/formulaire/{form.token}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Formulaire de communication")
    expect(page.get_by_text("Pourquoi nous recueillons ces renseignements")).to_be_visible()
    consent = page.locator("input[name=consent]")
    expect(consent).not_to_be_checked()

    page.fill("[name=q_organization]", "Épicerie du Quartier (fictive)")
    page.select_option("[name=q_region]", value="QC-15")
    page.fill("[name=q_contact_name]", "Jeanne Essai")
    page.fill("[name=q_email]", "jeanne.essai@")  # the mistake
    page.fill("[name=q_position]", "Directrice")
    page.fill("[name=q_concept]", CONCEPT)
    page.fill("[name=q_operations]", "Collecte en camionnette, tri, entreposage au froid.")
    page.fill(
        "[name=q_barriers]", "Notre chambre froide est trop petite et nos tournées mal planifiées."
    )
    page.fill("[name=q_mentoring_help]", "Apprendre d’un organisme qui a réorganisé sa logistique.")
    page.fill("[name=q_revise_processes]", "La direction peut revoir les processus.")
    consent.check()
    shoot(page, "fr-public-form")
    page.get_by_role("button", name="Envoyer").click()

    # One clear message, at the top and at the field; everything typed is still there.
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(page.locator("#id_q_email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[name=q_concept]")).to_have_value(CONCEPT)
    expect(page.locator("[name=q_organization]")).to_have_value("Épicerie du Quartier (fictive)")
    expect(page.locator("[name=q_region]")).to_have_value("QC-15")
    shoot(page, "fr-public-form-error")
    assert axe_violations(page) == []

    page.fill("[name=q_email]", "jeanne.essai@exemple.org")
    if not page.locator("input[name=consent]").is_checked():
        page.locator("input[name=consent]").check()
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Merci")
    # The thanks page answers the form's POST and puts its own address in the address bar:
    # reloading reads that page and sends nothing again.
    expect(page).to_have_url(re.compile(r"/formulaire/[^/]+/merci/\?lang=fr$"))
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Merci")
    application = Application.objects.get(email="jeanne.essai@exemple.org")
    assert application.answers["concept"] == CONCEPT
    assert application.consent_given and application.consent_language == "fr"

    # The coordinator finds it, scores it on the seven criteria and selects it.
    sign_in(page, "camille.gagnon@demo.maillage.org", DEMO_PASSWORD)
    page.goto(f"{page.base}/programmes/{demo.pk}/candidatures/")
    assert axe_violations(page) == []
    shoot(page, "fr-applications")
    page.get_by_role("link", name=re.compile("Épicerie du Quartier")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Épicerie du Quartier")
    for fieldset in page.locator("section[aria-labelledby=mon-evaluation] fieldset").all():
        fieldset.locator("input[type=radio][value='4']").check()
    page.get_by_role("button", name="Enregistrer mon évaluation").click()
    expect(page.get_by_role("button", name="Mettre à jour mon évaluation")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "fr-application")

    decision = page.locator("form[action*='/decision/']")
    decision.get_by_label("Retenue", exact=True).check()
    decision.locator("[name=decision-reason]").fill(
        "Besoins logistiques clairs et direction engagée."
    )
    decision.locator("[name=decision-track]").select_option(label="Logistique")
    decision.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator("section[aria-labelledby=decision]")).to_contain_text("Retenue")

    application.refresh_from_db()
    assert application.status == "selected"
    assert Role.objects.filter(
        program=demo,
        person__email="jeanne.essai@exemple.org",
        kind=Role.Kind.MENTEE,
        track__name="Logistique",
    ).exists()


def test_main_pages_have_no_serious_accessibility_violation(page, demo):
    page.goto(page.base + "/")
    assert axe_violations(page) == []
    page.goto(page.base + "/comptes/login/")
    assert axe_violations(page) == []
    sign_in(page, "camille.gagnon@demo.maillage.org", DEMO_PASSWORD)
    pages = [
        "/programmes/",
        f"/programmes/{demo.pk}/",
        f"/programmes/{demo.pk}/parametres/",
        f"/programmes/{demo.pk}/formulaires/",
        f"/programmes/{demo.pk}/mentors-potentiels/",
        f"/programmes/{demo.pk}/criteres/",
        f"/programmes/{demo.pk}/personnes/",
        f"/programmes/{demo.pk}/importer/",
        f"/programmes/{demo.pk}/jumelage/",
    ]
    found = {}
    for path in pages:
        response = page.goto(page.base + path)
        assert response.status == 200, path
        violations = axe_violations(page)
        if violations:
            found[path] = violations
        shoot(page, "fr-" + (path.strip("/").replace("/", "_") or "home"))
    assert found == {}
