"""Communities of practice, in French, from each person's home page: the network's staff create
a « Jasettes » series of 7 monthly meetings with their themes from the network page; a member
registers on a phone and receives the confirmation with the .ics; the facilitator takes
attendance on a phone and leaves a question, which shows on the next meeting's page. Every page
passes axe-core and fits a 390 px screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from maillage.conftest import PASSWORD, make_person
from maillage.core.models import Organization, Sector, Territory
from maillage.measurement import services as network_services
from maillage.measurement.models import NetworkRole
from maillage.practice.models import Attendance, Registration, Series

from .conftest import axe_violations, fits_the_screen, shoot, sign_in

THEMES = [
    "Recruter des mentor·es",
    "Jumeler",
    "Former au mentorat inclusif",
    "Accompagner les dyades",
    "Évaluer",
    "Reconnaître l’engagement",
    "Financer son programme",
]
QUESTION = "Qui a une formation sur les biais à partager ?"


@pytest.fixture
def people(reference_data, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    region = Territory.objects.get(code="QC-03")
    sector = Sector.objects.get(code="communautaire")
    backbone = Organization.objects.create(name="Mentorat (fictif)", territory=region)
    member_org = Organization.objects.create(
        name="Vivre Ensemble (fictif)", sector=sector, territory=region
    )
    network = network_services.create_network(backbone=backbone, name="Réseau mentorat (fictif)")
    network_services.add_member(network=network, organization=member_org)
    staff = make_person("Béatrice", "Soutien", org=backbone)
    network_services.assign_network_role(network=network, person=staff, kind=NetworkRole.Kind.STAFF)
    return {
        "network": network,
        "staff": staff,
        "member": make_person("Camille", "Membre", org=member_org),
        "facilitator": make_person("Fatou", "Animation", org=member_org),
    }


def test_jasettes_from_creation_to_the_next_meeting(page, phone, people):
    network = people["network"]

    # The staff: home → the network → « Communautés de pratique » → « Nouvelle série ».
    sign_in(page, people["staff"].email, PASSWORD)
    page.get_by_role(
        "link", name="Suivre la mesure partagée du réseau « Réseau mentorat (fictif) »"
    ).click()
    page.get_by_role("link", name="Communautés de pratique").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Communautés de pratique")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Nouvelle série").click()
    page.get_by_label("Titre de la série").fill("Jasettes mentoriales")
    page.get_by_label("Thèmes, un par ligne").fill("\n".join(THEMES))
    first_day = timezone.localdate() + timedelta(days=3)
    page.get_by_label("Date de la première rencontre").fill(first_day.isoformat())
    page.locator("#id_start_time").fill("12:00")
    page.get_by_label("Durée (minutes)").fill("60")
    page.get_by_label("Places").fill("12")
    # Forgotten link and place: the form says so and keeps the themes.
    page.get_by_role("button", name="Créer la série").click()
    expect(
        page.get_by_text("Indiquez le lien de la visioconférence, le lieu, ou les deux.").first
    ).to_be_visible()
    expect(page.get_by_label("Thèmes, un par ligne")).to_have_value("\n".join(THEMES))
    assert axe_violations(page) == []
    page.get_by_label("Lien de la visioconférence").fill("https://visio.exemple.org/jasettes")
    page.get_by_label("Fatou Animation").check()
    shoot(page, "practice-series-new-1280")
    page.get_by_role("button", name="Créer la série").click()
    expect(page.get_by_text("Série créée avec 7 rencontres.")).to_be_visible()
    series = Series.objects.get()
    assert series.meetings.count() == 7 and list(series.facilitators.all()) == [
        people["facilitator"]
    ]
    assert axe_violations(page) == []
    shoot(page, "practice-series-staff-1280")

    # A member, on a phone: home → « Communautés de pratique » → the series → register.
    sign_in(phone, people["member"].email, PASSWORD)
    phone.get_by_role("link", name="Communautés de pratique").first.click()
    assert fits_the_screen(phone) and axe_violations(phone) == []
    shoot(phone, "practice-mine-390")
    phone.get_by_role("link", name="Jasettes mentoriales").click()
    button = phone.get_by_role("button", name="M’inscrire à la série")
    assert button.bounding_box()["height"] >= 44
    button.click()
    expect(phone.get_by_text("Inscription confirmée.")).to_be_visible()
    expect(phone.get_by_role("link", name="Ajouter à mon agenda (.ics)")).to_be_visible()
    assert fits_the_screen(phone) and axe_violations(phone) == []
    shoot(phone, "practice-series-member-390")
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    sent = [m for m in mail.outbox if m.to == [people["member"].email]]
    assert len(sent) == 1 and "Inscription confirmée" in sent[0].subject
    calendars = [
        part.get_payload(decode=True).decode()
        for part in sent[0].message().walk()
        if part.get_content_type() == "text/calendar"
    ]
    assert len(calendars) == 1 and calendars[0].count("BEGIN:VEVENT") == 7
    assert "Jumeler" in calendars[0]
    phone.context.clear_cookies()

    # The facilitator, on a phone: home → the series → meeting 1 → attendance, then a question.
    sign_in(phone, people["facilitator"].email, PASSWORD)
    phone.get_by_role("link", name="Communautés de pratique").first.click()
    phone.get_by_role("link", name="Jasettes mentoriales").click()
    phone.get_by_role("link", name="1. Recruter des mentor·es").click()
    phone.get_by_role("link", name="Prendre les présences").click()
    assert fits_the_screen(phone) and axe_violations(phone) == []
    phone.get_by_label("Camille Membre").check()
    phone.get_by_label("Notes de la rencontre").fill("Tour de table, pistes de recrutement.")
    shoot(phone, "practice-attendance-390")
    phone.get_by_role("button", name="Enregistrer les présences").click()
    expect(phone.get_by_text("Présences enregistrées : 1 personne présente.")).to_be_visible()
    assert Attendance.objects.get(present=True).person == people["member"]
    phone.get_by_label("Question en suspens").fill(QUESTION)
    phone.get_by_role("button", name="Noter la question").click()
    expect(phone.get_by_text("Question notée")).to_be_visible()
    phone.get_by_role("link", name="2. Jumeler →").click()
    carried = phone.get_by_role("region", name="Questions en suspens des rencontres précédentes")
    expect(carried.get_by_text(QUESTION)).to_be_visible()
    assert fits_the_screen(phone) and axe_violations(phone) == []
    shoot(phone, "practice-meeting-2-390")

    # The member who came got the questionnaire, and answers it on the phone.
    assert any("Votre avis" in m.subject for m in mail.outbox if m.to == [people["member"].email])
    phone.context.clear_cookies()
    sign_in(phone, people["member"].email, PASSWORD)
    phone.goto(f"{phone.base}/pratique/rencontres/{series.meetings.get(number=1).pk}/")
    expect(phone.get_by_text("Tour de table, pistes de recrutement.")).to_be_visible()
    phone.get_by_role("link", name="Donner mon avis sur cette rencontre").click()
    assert fits_the_screen(phone) and axe_violations(phone) == []
    phone.get_by_text("5 — Très satisfait·e").click()
    phone.get_by_label("Oui").check()
    shoot(phone, "practice-feedback-390")
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    expect(phone.get_by_text("Merci ! Vos réponses sont enregistrées.")).to_be_visible()
    # The staff see the registrations on a wide screen.
    page.goto(f"{page.base}/pratique/series/{series.pk}/inscriptions/")
    expect(page.get_by_text("1 personne inscrite")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(f"{page.base}/pratique/rencontres/{series.meetings.get(number=2).pk}/")
    shoot(page, "practice-meeting-2-1280")
    page.goto(f"{page.base}/pratique/series/{series.pk}/resultats/")
    expect(page.get_by_text("moins de 10 réponses")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "practice-results-1280")
    page.goto(f"{page.base}/pratique/reseaux/{network.pk}/")
    assert axe_violations(page) == []
    shoot(page, "practice-network-1280")
