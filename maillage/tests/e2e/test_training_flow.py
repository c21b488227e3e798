"""In French, from their home pages: a coordinator writes a training module with a two-question
quiz and assigns it to the mentees; a mentee on a phone opens it from « Mes programmes », fails
the quiz, reads the right answers, passes on the second try and marks it done; the coordinator
then sees who did it. The participant never sees a figure, only « Réussi » or « À reprendre »."""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from maillage.core.models import Person
from maillage.programs.models import Role
from maillage.programs.services import assign_role, create_program

from .conftest import axe_violations, page_widths, shoot, sign_in

PASSWORD = "mot-de-passe-du-test-e2e"


def person(first: str, last: str, email: str) -> Person:
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    return Person.objects.create(user=user, first_name=first, last_name=last, email=email)


def check(page, name: str) -> None:
    width, client = page_widths(page)
    assert width <= client, f"{name}: {width} px wide for {client} px"
    assert axe_violations(page) == []
    shoot(page, name)


def test_a_module_with_a_quiz_from_the_coordinator_to_a_mentee_and_back(
    page, phone, reference_data
):
    lea = person("Léa", "Coord", "lea.coord@exemple.org")
    program = create_program(by=lea, title="Mentorat inclusif en génie", theme="ÉDI")
    elise = person("Élise", "Bouchard", "elise.bouchard@exemple.org")
    assign_role(program=program, person=elise, kind=Role.Kind.MENTEE)
    due = timezone.localdate() + timedelta(days=10)

    # The coordinator, from her program's page, writes a module.
    sign_in(page, "lea.coord@exemple.org", PASSWORD)
    page.get_by_role("link", name="Mentorat inclusif en génie").first.click()
    page.get_by_role("region", name="Formations et parcours").get_by_role(
        "link", name="Formations"
    ).click()
    expect(page.get_by_role("heading", name="Formations", level=1)).to_be_visible()
    check(page, "training-library")
    page.get_by_role("link", name="Créer un module").click()
    page.get_by_label("Titre").fill("Accueillir sa personne mentorée")
    page.get_by_label("Résumé").fill("La première rencontre, pas à pas.")
    page.get_by_label("Texte dans la page").check()
    page.get_by_role("button", name="Créer le module").click()
    # A text module needs its text: said in French, what was typed kept.
    expect(page.get_by_text("Écrivez le texte du module.").first).to_be_visible()
    expect(page.get_by_label("Titre")).to_have_value("Accueillir sa personne mentorée")
    page.get_by_label("Texte du module").fill(
        "Présentez-vous, écoutez ses besoins, convenez des objectifs et du calendrier."
    )
    check(page, "training-module-form")
    page.get_by_role("button", name="Créer le module").click()
    expect(page.get_by_text("Module « Accueillir sa personne mentorée » créé.")).to_be_visible()

    # Two questions.
    for text, right, wrong in (
        ("Qui fixe les objectifs ?", "La personne mentorée", "Le ou la mentor·e"),
        ("Que faire à la première rencontre ?", "Écouter ses besoins", "Imposer un plan"),
    ):
        page.get_by_text("Ajouter une question").click()
        page.get_by_role("textbox", name="Question", exact=True).fill(text)
        page.get_by_role("textbox", name="Choix 1", exact=True).fill(wrong)
        page.get_by_role("textbox", name="Choix 2", exact=True).fill(right)
        page.get_by_label("Le choix 2 est une bonne réponse").check()
        page.get_by_role("button", name="Ajouter la question").click()
        expect(page.get_by_text("Question ajoutée au questionnaire.")).to_be_visible()

    # Assigned to every mentee, with a due date.
    page.get_by_label("Personne mentorée", exact=True).check()
    page.get_by_label("À faire d’ici le").fill(due.isoformat())
    page.get_by_role("button", name="Assigner", exact=True).click()
    expect(
        page.get_by_text("Module assigné : 1 personne le voit dans « Mes formations ».")
    ).to_be_visible()
    check(page, "training-module")

    # The mentee, on her phone, from « Mes programmes ».
    sign_in(phone, "elise.bouchard@exemple.org", PASSWORD)
    expect(phone.get_by_role("heading", name="Mes programmes")).to_be_visible()
    phone.get_by_role(
        "link", name=re.compile("Suivre la formation « Accueillir sa personne mentorée »")
    ).click()
    expect(phone.get_by_role("heading", name="Accueillir sa personne mentorée")).to_be_visible()
    check(phone, "training-my-module-phone")
    # Wrong answers first.
    phone.get_by_label("Le ou la mentor·e").check()
    phone.get_by_label("Imposer un plan").check()
    phone.get_by_role("button", name="Vérifier mes réponses").click()
    expect(phone.get_by_text("À reprendre.")).to_be_visible()
    expect(phone.get_by_role("button", name="Marquer comme terminé")).to_have_count(0)
    body = phone.locator("main").inner_text()
    assert "%" not in body and "0 sur" not in body
    check(phone, "training-quiz-failed-phone")
    phone.get_by_role("link", name="Recommencer le questionnaire").click()
    phone.get_by_label("La personne mentorée").check()
    phone.get_by_label("Écouter ses besoins").check()
    phone.get_by_role("button", name="Vérifier mes réponses").click()
    expect(phone.get_by_text("Réussi !")).to_be_visible()
    check(phone, "training-quiz-passed-phone")
    phone.get_by_role("button", name="Marquer comme terminé").click()
    expect(
        phone.get_by_text("Bravo : « Accueillir sa personne mentorée » est terminé.")
    ).to_be_visible()
    expect(phone.get_by_role("heading", name="Terminées")).to_be_visible()
    check(phone, "training-mine-phone")

    # The coordinator sees who did it.
    page.goto(f"{page.base}/programmes/{program.pk}/")
    page.get_by_role("region", name="Formations et parcours").get_by_role(
        "link", name="Qui a fait quoi"
    ).click()
    row = page.get_by_role("row", name=re.compile("Accueillir sa personne mentorée"))
    expect(row).to_contain_text("Terminé")
    expect(row).to_contain_text("Réussi")
    check(page, "training-progress")
    page.get_by_role("link", name="← Formations").click()
    expect(page.get_by_text("Formations terminées : 1 sur 1 (100")).to_be_visible()
    check(page, "training-library-filled")
    page.get_by_role("link", name="Vue d’ensemble").click()
    expect(page.get_by_role("region", name="Formations et parcours")).to_contain_text("100")
    check(page, "program-dashboard")
