"""On a phone (390 × 844), in French: a mentee writes to her group from her phone, the mentor
side gets the e-mail (without the text), follows its link, signs in and answers; the mentee
sees the answer from her home's next step, and the unread count goes to zero."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from maillage.demo.editions import DEMO_PASSWORD
from maillage.mentoring.models import GroupMessage

from .conftest import shoot
from .test_mentoring_flow import accepted_group
from .test_phone_pages_flow import problems_on

SOPHIE = "sophie.lavoie@demo.maillage.org"
MARC = "marc.tremblay@demo.maillage.org"
QUESTION = (
    "Bonjour ! Pouvons-nous voir le circuit du mardi à la prochaine rencontre ? Voici la liste : "
    "https://exemple.maillage.org/documents/liste-des-arrets-du-circuit-de-collecte-du-mardi.pdf"
)
ANSWER = "Oui, apportez les volumes moyens par arrêt ; on tracera le circuit ensemble."


def fill_sign_in(page, email: str) -> None:
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_label("Mot de passe").press("Enter")
    page.wait_for_load_state("load")


def fits_the_phone(page) -> None:
    assert problems_on(page, page.url) == []


def test_a_mentee_writes_from_her_phone_and_the_mentor_answers_from_the_email(phone, demo):
    group = accepted_group(demo)
    mail.outbox.clear()  # the group's own e-mails (it was just formed)
    page = phone

    # Sophie finds her group from « Mes groupes » and opens its messages.
    page.goto(page.base + "/comptes/login/")
    fill_sign_in(page, SOPHIE)
    page.goto(page.base + "/mes-groupes/")
    page.get_by_role("link", name="Logistique — Sophie Lavoie").click()
    page.get_by_role("navigation", name="Sections du groupe").get_by_role(
        "link", name="Discussion", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Discussion du groupe")
    expect(page.get_by_text("Aucun message pour l’instant.")).to_be_visible()
    box = page.get_by_label("Votre message")
    send = page.get_by_role("button", name="Envoyer")
    assert send.bounding_box()["height"] >= 44
    box.fill(QUESTION)
    # A double tap: htmx disables the button while the first request runs; one message.
    send.dblclick()
    expect(page.locator(".thread .bubble.mine")).to_have_count(1)
    expect(page.locator(".thread .bubble.mine")).to_contain_text("circuit du mardi")
    expect(box).to_have_value("")
    expect(page.get_by_role("status")).to_have_text("Message envoyé.")
    assert GroupMessage.objects.filter(group=group).count() == 1
    fits_the_phone(page)
    shoot(page, "fr-phone-messages-sent")

    # Marc (and Isabelle, the other half of the mentor team) are told, without the text.
    to_marc = [m for m in mail.outbox if m.to == [MARC]]
    assert len(to_marc) == 1
    assert any("isabelle.fortin" in m.to[0] for m in mail.outbox)
    email = to_marc[0]
    assert "Sophie Lavoie" in email.subject and "circuit" not in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The link names the platform's address (SITE_URL); the test server listens elsewhere.
    path = re.search(r"https?://[^/\s]+(/\S+/messages/#dernier)", email.body).group(1)
    link = page.base + path

    # Marc follows the link on his phone, signs in, and lands on the thread.
    page.context.clear_cookies()
    page.goto("about:blank")  # else the same address with « #dernier » only scrolls
    page.goto(link)
    fill_sign_in(page, MARC)
    expect(page.get_by_role("heading", level=1)).to_have_text("Discussion du groupe")
    expect(page.get_by_text("Nouveaux messages")).to_be_visible()
    expect(page.locator(".thread .bubble").first).to_contain_text("Sophie Lavoie")
    shoot(page, "fr-phone-messages-mentor")
    page.get_by_label("Votre message").fill(ANSWER)
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator(".thread .bubble.mine")).to_contain_text("volumes moyens")
    fits_the_phone(page)

    # Sophie's home says a message waits; she reads it; the count is gone.
    page.context.clear_cookies()
    page.goto(page.base + "/comptes/login/")
    fill_sign_in(page, SOPHIE)
    page.goto(page.base + "/programmes/")
    step = page.get_by_role(
        "link", name="Lire 1 nouveau message dans « Logistique — Sophie Lavoie »"
    )
    expect(step).to_be_visible()
    shoot(page, "fr-phone-home-unread")
    step.click()
    expect(page.locator(".thread .bubble:not(.mine)")).to_contain_text("volumes moyens")
    expect(page.get_by_text("Nouveaux messages")).to_be_visible()
    shoot(page, "fr-phone-messages-answer")
    page.goto(page.base + "/programmes/")
    expect(page.get_by_role("link", name=re.compile("nouveau message"))).to_have_count(0)
    page.goto(page.base + "/mes-groupes/")
    expect(page.get_by_text(re.compile(r"\d+ nouveaux? messages?"))).to_have_count(0)
    page.get_by_role("link", name="Logistique — Sophie Lavoie").click()
    expect(page.get_by_role("link", name=re.compile("non lu"))).to_have_count(0)
    shoot(page, "fr-phone-group-read")

    # Her own message: she corrects it within the quarter of an hour, from the phone too.
    page.get_by_role("navigation", name="Sections du groupe").get_by_role(
        "link", name="Discussion", exact=True
    ).click()
    page.get_by_role("link", name=re.compile("Modifier ou retirer")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre message")
    fits_the_phone(page)
    shoot(page, "fr-phone-message-edit")
    page.get_by_label("Message").fill(QUESTION.replace("mardi", "mercredi", 1))
    page.get_by_role("button", name="Enregistrer la correction").click()
    expect(page.locator(".thread .bubble.mine")).to_contain_text("circuit du mercredi")
    expect(page.locator(".thread .bubble.mine")).to_contain_text("modifié")

    # Wider, the same thread reads as a conversation too.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{page.base}/programmes/{demo.pk}/groupes/{group.pk}/messages/")
    shoot(page, "fr-desktop-messages")


def test_a_person_chooses_the_daily_digest_and_unsubscribes_in_one_click(phone, demo):
    from maillage.core.models import NotificationPreference, Person
    from maillage.core.notifications import unsubscribe_token

    page = phone
    page.goto(page.base + "/comptes/login/")
    fill_sign_in(page, SOPHIE)
    page.goto(page.base + "/mon-compte/")
    section = page.locator("#courriels").locator("..")
    section.get_by_role("group", name="Messages de mes groupes").get_by_label(
        "Un résumé par jour"
    ).check()
    heights = page.eval_on_selector_all(
        "section .choices label", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44
    page.get_by_role("button", name="Enregistrer mes choix de courriels").click()
    expect(page.get_by_text("Vos choix de courriels sont enregistrés.")).to_be_visible()
    fits_the_phone(page)
    shoot(page, "fr-phone-account-emails")
    sophie = Person.objects.get(email=SOPHIE)
    assert NotificationPreference.of(sophie, "messages") == "daily"

    # The e-mail's link, opened signed out: one button, then done.
    page.context.clear_cookies()
    page.goto(f"{page.base}/courriels/desabonnement/{unsubscribe_token(sophie, 'alerts')}/")
    fits_the_phone(page)
    page.get_by_role("button", name="Ne plus recevoir ces courriels").click()
    expect(page.get_by_text("C’est fait")).to_be_visible()
    fits_the_phone(page)
    shoot(page, "fr-phone-unsubscribed")
    assert NotificationPreference.of(sophie, "alerts") == "never"
