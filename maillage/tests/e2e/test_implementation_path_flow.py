"""In French, a coordinator starts the « Parcours d’implantation » from her program's page,
notes three hours of support on the diagnostic, closes that step, and reads the hours left; she
plans the post-deployment follow-up."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from maillage.programs.services import create_program

from .conftest import axe_violations, page_widths, shoot, sign_in
from .test_training_flow import PASSWORD, person


def test_the_coordinator_records_hours_on_a_step_and_sees_what_is_left(page, phone, reference_data):
    lea = person("Léa", "Coord", "lea.coord@exemple.org")
    program = create_program(by=lea, title="Mentorat inclusif en génie", theme="ÉDI")
    today = timezone.localdate()

    sign_in(page, "lea.coord@exemple.org", PASSWORD)
    page.get_by_role("link", name="Mentorat inclusif en génie").first.click()
    page.get_by_role("region", name="Formations et parcours").get_by_role(
        "link", name="Parcours d’implantation"
    ).click()
    page.get_by_role("button", name="Commencer le parcours").click()
    expect(page.get_by_text("20 h restantes")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Diagnostic").click()
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_role("spinbutton", name="Heures").fill("3")
    page.get_by_label("Ce qui a été fait").fill("Portrait de l’organisation")
    page.get_by_role("button", name="Noter ces heures").click()
    expect(page.get_by_text("Heures notées. Il reste 17 h d’accompagnement.")).to_be_visible()
    # A future date is refused in words, what was typed kept.
    page.get_by_label("Date").fill((today + timedelta(days=3)).isoformat())
    page.get_by_role("spinbutton", name="Heures").fill("2")
    page.get_by_role("button", name="Noter ces heures").click()
    expect(page.get_by_text("la date est à venir").first).to_be_visible()
    expect(page.get_by_role("spinbutton", name="Heures")).to_have_value("2")
    assert axe_violations(page) == []
    shoot(page, "path-step")
    page.get_by_label("Terminée").check()
    page.get_by_label("Notes").fill("Besoin : ouvrir le programme aux femmes en génie.")
    page.get_by_role("button", name="Enregistrer l’étape").click()
    expect(page.get_by_text("Étape « Diagnostic » enregistrée.")).to_be_visible()
    expect(page.get_by_text("17 h restantes")).to_be_visible()
    expect(page.get_by_text("3 h utilisées sur 20 h prévues")).to_be_visible()

    page.get_by_label("Date du suivi").fill((today + timedelta(days=90)).isoformat())
    page.get_by_label("Objet du suivi").fill("Suivi post-déploiement à trois mois")
    page.get_by_role("button", name="Planifier ce suivi").click()
    expect(page.get_by_text("Suivi post-déploiement planifié.")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "path")

    # The same page on the coordinator's phone: nothing wider than the screen.
    sign_in(phone, "lea.coord@exemple.org", PASSWORD)
    phone.goto(f"{phone.base}/programmes/{program.pk}/parcours/")
    width, client = page_widths(phone)
    assert width <= client
    shoot(phone, "path-phone")
