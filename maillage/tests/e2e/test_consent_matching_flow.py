"""In French, from the coordinator's home: a matching run leaves out a mentee who never
consented and the page says who; the coordinator asks her by e-mail; she opens the link, reads
the text and consents; the next run includes her (Law 25; issue 12, finding 10). The page is
looked at on a computer and on a phone."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from maillage.conftest import no_consent
from maillage.core.models import Person
from maillage.matching.models import MatchRun
from maillage.programs.models import Consent, Role
from maillage.programs.services import assign_role, create_program, has_consent

from .conftest import PHONE, axe_violations, fits_the_screen, shoot, sign_in
from .test_mentee_team_flow import organization

PASSWORD = "mot-de-passe-du-test-e2e"


def program_with_one_mentee_without_consent():
    email = "lea.coord@exemple.org"
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    lea = Person.objects.create(user=user, first_name="Léa", last_name="Coord", email=email)
    program = create_program(by=lea, title="Villes en réseau", theme="Revitalisation")
    marc = Person.objects.create(
        first_name="Marc",
        last_name="Tremblay",
        email="marc.tremblay@exemple.org",
        organization=organization("Réseau des villes", "QC-16"),
        expertise="Mobilisation citoyenne et plan d’action municipal.",
        availability=["wed-pm"],
        working_style="structured",
    )
    assign_role(program=program, person=marc, kind=Role.Kind.MENTOR, capacity=2)
    for first, last, org, region in (
        ("Élise", "Bouchard", "Corporation de Jonquière", "QC-02"),
        ("Nora", "Gagnon", "Ville de Rimouski", "QC-01"),
    ):
        person = Person.objects.create(
            first_name=first,
            last_name=last,
            email=f"{first}.{last}@exemple.org".lower().replace("é", "e"),
            organization=organization(org, region),
            availability=["wed-pm"],
            working_style="intuitive",
        )
        if first == "Nora":
            no_consent(person)  # added by hand, never asked
        assign_role(program=program, person=person, kind=Role.Kind.MENTEE)
    return program, Person.objects.get(first_name="Nora")


def sticking_out(page, inside: str) -> list[str]:
    """What is shown in `inside` and sticks out of the screen on the right."""
    return page.evaluate(
        """(inside) => [...document.querySelectorAll(inside + ' *')].filter(e => {
             const r = e.getBoundingClientRect();
             return e.checkVisibility() && r.right > document.documentElement.clientWidth + 1;
           }).slice(0, 10).map(e => e.tagName + '.' + e.className + ' '
             + Math.round(e.getBoundingClientRect().right) + ' ' + e.textContent.trim().slice(0, 40))""",
        inside,
    )


def test_a_mentee_left_out_for_want_of_consent_is_asked_and_matched_next(
    page, browser, live_server, reference_data
):
    program, nora = program_with_one_mentee_without_consent()
    sign_in(page, "lea.coord@exemple.org", PASSWORD)

    # From her home to the program's matching page.
    page.goto(page.base + "/")
    page.get_by_role("link", name="Villes en réseau").first.click()
    page.get_by_role("link", name="Jumelage", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jumelage")
    page.get_by_role("button", name="Lancer le jumelage").click()
    expect(page.get_by_text("Jumelage calculé")).to_be_visible()
    first = MatchRun.objects.filter(program=program).latest("pk")
    assert len(first.instance["mentees"]) == 1 and first.instance["without_consent"]

    # Who is left out, and why, for the coordinator only.
    left_out = page.locator("#consentement")
    expect(left_out.get_by_role("heading")).to_have_text(
        "1 personne laissée de côté faute de consentement"
    )
    expect(left_out).to_contain_text("Nora Gagnon")
    expect(left_out).to_contain_text("consentement jamais donné")
    assert axe_violations(page) == []
    shoot(page, "fr-matching-left-out-1280")
    # The same on a phone: nothing scrolls sideways, the button is a thumb's size.
    small = browser.new_context(locale="fr-CA", viewport=PHONE, bypass_csp=True).new_page()
    small.base = live_server.url
    sign_in(small, "lea.coord@exemple.org", PASSWORD)
    small.goto(f"{live_server.url}/programmes/{program.pk}/jumelage/#consentement")
    # The section fits the screen (the run's tables below scroll in their own boxes).
    assert sticking_out(small, "#consentement") == []
    asking = small.get_by_role("button", name="Demander le consentement de Nora Gagnon")
    box = asking.bounding_box()
    assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"]
    shoot(small, "fr-matching-left-out-390")
    small.context.close()

    # She is asked by e-mail; the coordinator comes back to the same place.
    mail.outbox.clear()
    left_out.get_by_role("button", name="Demander le consentement de Nora Gagnon").click()
    expect(page.get_by_text("Demande de consentement envoyée à Nora Gagnon.")).to_be_visible()
    assert re.search(rf"/programmes/{program.pk}/jumelage/", page.url)
    [message] = [m for m in mail.outbox if m.to == [nora.email]]
    link = re.search(r"https?://\S+/programmes/consentement/\S+/", message.body).group(0)
    path = "/" + link.split("//", 1)[1].split("/", 1)[1]

    # Nora, on her phone and not signed in, reads what she agrees to and consents.
    phone = browser.new_context(locale="fr-CA", viewport=PHONE, bypass_csp=True).new_page()
    phone.goto(live_server.url + path)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Villes en réseau")
    assert fits_the_screen(phone) and sticking_out(phone, "main") == []
    shoot(phone, "fr-consent-page-390")
    phone.get_by_role("button", name="Je consens").click()
    expect(phone.get_by_text("Merci : votre consentement est enregistré.")).to_be_visible()
    phone.context.close()
    assert has_consent(nora, program)
    assert Consent.objects.get(person=nora, program=program).source == Consent.Source.LINK

    # The next run includes her, and nobody is left out any more.
    page.reload()
    expect(page.locator("#consentement")).to_have_count(0)
    page.get_by_role("button", name=re.compile("Relancer le jumelage")).click()
    expect(page.get_by_text("Jumelage calculé")).to_be_visible()
    latest = MatchRun.objects.filter(program=program).latest("pk")
    assert len(latest.instance["mentees"]) == 2 and latest.instance["without_consent"] == []
    expect(page.locator("#resultat")).to_contain_text("Nora Gagnon")
    shoot(page, "fr-matching-after-consent-1280")
