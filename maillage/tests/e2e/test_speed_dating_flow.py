"""In French, from pages only: a coordinator plans a « speed dating mentoral » (laptop); three
mentees and two mentor sides (Marc alone, the Alliance team) read their timetable and rank the
people they met on a phone (390 × 844); the coordinator forms the groups from the rankings, reads
the stability certificate and approves the groups; each person then sees their group at home."""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from maillage.core.models import Organization, Person, Sector, Team, TeamMember, Territory
from maillage.mentoring.models import Group
from maillage.programs.models import Role
from maillage.programs.services import assign_role, create_program

from .conftest import axe_violations, page_widths, shoot, sign_in

PASSWORD = "mot-de-passe-du-test-e2e"
PHONE = {"width": 390, "height": 844}


def organization(name: str, territory: str) -> Organization:
    return Organization.objects.create(
        name=name,
        sector=Sector.objects.get(code="communautaire"),
        territory=Territory.objects.get(code=territory),
    )


def person(first: str, last: str, org: Organization, **extra) -> Person:
    email = f"{first}.{last}@exemple.org".lower().replace("é", "e")
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    return Person.objects.create(
        user=user,
        first_name=first,
        last_name=last,
        email=email,
        organization=org,
        availability=["wed-pm"],
        **extra,
    )


def program_ready_for_a_speed_dating():
    lea = person("Léa", "Coord", organization("Villes Vivantes", "QC-06"))
    program = create_program(by=lea, title="Réemploi en réseau", theme="Réemploi alimentaire")
    marc = person(
        "Marc", "Tremblay", organization("Réseau logistique", "QC-16"), expertise="Transport."
    )
    assign_role(program=program, person=marc, kind=Role.Kind.MENTOR)
    alliance_org = organization("Alliance territoriale", "QC-05")
    team = Team.objects.create(name="Équipe Alliance", organization=alliance_org)
    for first in ("Rita", "Paul"):
        member = person(first, "Alliance", alliance_org, expertise="Gouvernance.")
        TeamMember.objects.create(team=team, person=member, is_referent=first == "Rita")
        assign_role(program=program, person=member, kind=Role.Kind.MENTOR, team=team, capacity=2)
    for first, last, region in (
        ("Élise", "Bouchard", "QC-02"),
        ("Bruno", "Beauce", "QC-01"),
        ("Chantal", "Centre", "QC-04"),
    ):
        mentee = person(first, last, organization(f"Organisme de {first}", region))
        assign_role(program=program, person=mentee, kind=Role.Kind.MENTEE)
    return program


def check(page, name: str) -> None:
    width, client = page_widths(page)
    assert width <= client, f"{name}: {width} px wide for {client} px"
    assert axe_violations(page) == []
    shoot(page, name)


# Who ranks whom first (the mentees who need logistics rank the Alliance team second).
RANKS = {
    "elise.bouchard@exemple.org": ["Équipe Alliance", "Marc Tremblay"],
    "bruno.beauce@exemple.org": ["Équipe Alliance", "Marc Tremblay"],
    "chantal.centre@exemple.org": ["Marc Tremblay", "Équipe Alliance"],
    "marc.tremblay@exemple.org": ["Chantal Centre", "Élise Bouchard", "Bruno Beauce"],
    "rita.alliance@exemple.org": ["Élise Bouchard", "Bruno Beauce", "Chantal Centre"],
}


def test_a_speed_dating_forms_the_groups_from_the_rankings(
    browser, page, live_server, reference_data
):
    program = program_ready_for_a_speed_dating()

    # The coordinator plans the event (held yesterday afternoon) from the matching page.
    sign_in(page, "lea.coord@exemple.org", PASSWORD)
    page.goto(f"{page.base}/programmes/{program.pk}/")
    page.get_by_role("link", name="Jumelage", exact=True).click()
    page.get_by_role("link", name="speed dating mentoral").click()
    page.get_by_role("link", name="Planifier un speed dating").click()
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Titre").fill("Speed dating d’automne")
    page.get_by_label("En personne", exact=True).check()
    page.get_by_label(re.compile(r"^Date")).fill(yesterday.isoformat())
    page.get_by_label("Heure de début").fill("13:30")
    page.get_by_label("Nombre de tours").fill("3")
    page.get_by_label("Minutes par tour").fill("8")
    page.get_by_label(re.compile("^Salles ou tables")).fill("Salle A\nSalle B")
    page.get_by_label("Adresse (en personne)").fill("Maison du réemploi, Québec")
    page.get_by_label("Classements attendus au plus tard le").fill(
        (yesterday + timedelta(days=7)).isoformat()
    )
    check(page, "fr-speed-dating-new")
    page.get_by_role("button", name="Planifier et construire la rotation").click()
    expect(
        page.get_by_text(re.compile("La meilleure rotation possible : 6 rencontres"))
    ).to_be_visible()
    check(page, "fr-speed-dating-event")
    page.get_by_role("button", name="Publier et envoyer les horaires").click()
    expect(page.get_by_text("Horaires envoyés à chaque personne invitée.")).to_be_visible()
    page.context.clear_cookies()

    # Each person, on a phone, goes from home to the timetable and ranks the people met.
    phone = browser.new_context(locale="fr-CA", viewport=PHONE, bypass_csp=True)
    mobile = phone.new_page()
    mobile.set_default_timeout(15_000)
    mobile.base = live_server.url
    for email, order in RANKS.items():
        sign_in(mobile, email, PASSWORD)
        mobile.get_by_role("link", name=re.compile("Classer les personnes rencontrées")).click()
        expect(mobile.get_by_role("heading", name="Mon horaire")).to_be_visible()
        expect(mobile.get_by_text(re.compile(r"Tour \d · \d\d:\d\d")).first).to_be_visible()
        if email.startswith("elise"):
            check(mobile, "fr-phone-speed-dating-mine")
            # the same rank twice is refused, what was chosen stays
            for name in order:
                mobile.get_by_label(name).select_option("1")
            mobile.get_by_role("button", name="Envoyer mon classement").click()
            expect(mobile.get_by_text(re.compile("rang différent")).first).to_be_visible()
            check(mobile, "fr-phone-speed-dating-rank-error")
        for rank, name in enumerate(order, start=1):
            mobile.get_by_label(name).select_option(str(rank))
        mobile.get_by_role("button", name="Envoyer mon classement").click()
        expect(mobile.get_by_text("Merci : votre classement est enregistré.")).to_be_visible()
        mobile.context.clear_cookies()

    # The coordinator forms the groups from the rankings, reads the certificate, approves.
    sign_in(page, "lea.coord@exemple.org", PASSWORD)
    page.goto(f"{page.base}/programmes/{program.pk}/jumelage/speed-dating/")
    page.get_by_role("link", name="Speed dating d’automne").click()
    expect(page.get_by_text("5 classements reçus sur 5.")).to_be_visible()
    page.get_by_role("button", name="Former les groupes à partir des classements").click()
    expect(page.get_by_text(re.compile("^Certificat de stabilité : aucune paire"))).to_be_visible()
    check(page, "fr-speed-dating-formed")
    page.set_viewport_size(PHONE)  # the coordinator's page fits a phone too
    page.reload()
    check(page, "fr-phone-speed-dating-formed")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Voir et approuver les groupes proposés").click()
    page.get_by_role("button", name="Accepter tous les groupes proposés").click()
    expect(page.get_by_text("2 groupes acceptés.")).to_be_visible()
    groups = {
        frozenset(m.role.person.first_name for m in g.members.all()) for g in Group.objects.all()
    }
    assert groups == {
        frozenset({"Rita", "Paul", "Élise", "Bruno"}),
        frozenset({"Marc", "Chantal"}),
    }

    # Each person sees their group on their home, on the phone.
    for email, group in (
        ("elise.bouchard@exemple.org", "Équipe Alliance"),
        ("bruno.beauce@exemple.org", "Équipe Alliance"),
        ("chantal.centre@exemple.org", "Marc Tremblay"),
        ("marc.tremblay@exemple.org", "Marc Tremblay"),
        ("rita.alliance@exemple.org", "Équipe Alliance"),
    ):
        sign_in(mobile, email, PASSWORD)
        expect(mobile.locator("main")).to_contain_text(group)
        if email.startswith("chantal"):
            check(mobile, "fr-phone-home-after-speed-dating")
        mobile.context.clear_cookies()
    phone.close()
