from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.intake.models import Application

from .conftest import thanked, thanks_address, valid_answer

pytestmark = pytest.mark.django_db


def url(form, lang: str | None = None) -> str:
    path = reverse("intake:public_form", args=[form.token])
    return f"{path}?lang={lang}" if lang else path


def field_html(html: str, name: str) -> str:
    """The opening tag of the input, textarea or select named `name`."""
    match = re.search(rf'<(input|textarea|select)[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def is_checked(html: str, name: str, value: str) -> bool:
    match = re.search(rf'<input[^>]*name="{name}" value="{value}"[^>]*>', html)
    assert match, (name, value)
    return " checked" in match.group(0)


def test_it_opens_without_an_account_in_french(client, interest_form):
    response = client.get(url(interest_form))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert "Nom de votre organisme" in html
    assert 'href="?lang=en"' in html


def test_french_by_default_even_for_an_english_browser(client, interest_form):
    response = client.get(url(interest_form), HTTP_ACCEPT_LANGUAGE="en-CA,en;q=0.9")
    assert response["Content-Language"] == "fr"
    assert "Nom de votre organisme" in response.content.decode()


def test_purpose_comes_before_the_questions_and_consent_after(client, interest_form):
    html = client.get(url(interest_form)).content.decode()
    purpose = html.index(interest_form.purpose_fr[:40])
    first_question = html.index("Nom de votre organisme")
    consent = html.index(interest_form.consent_fr[:40])
    assert purpose < first_question < consent


def test_consent_box_is_not_ticked(client, interest_form):
    html = client.get(url(interest_form)).content.decode()
    box = field_html(html, "consent")
    assert 'type="checkbox"' in box
    assert "checked" not in box


def test_english_link_shows_the_english_texts(client, interest_form):
    response = client.get(url(interest_form, "en"))
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert "Name of your organization" in html
    assert interest_form.purpose_en[:40] in html
    assert "Nom de votre organisme" not in html


def test_the_site_language_switch_is_honoured(client, interest_form):
    client.cookies["django_language"] = "en"
    html = client.get(url(interest_form)).content.decode()
    assert "Name of your organization" in html


def test_happy_path_creates_the_application_and_thanks(client, interest_form, answer):
    response = client.post(url(interest_form), answer)
    # The thanks page answers the POST itself, and puts its own address in the address bar.
    assert thanked(response)
    assert thanks_address(response).startswith(
        reverse("intake:public_thanks", args=[interest_form.token])
    )
    assert "Merci" in response.content.decode()
    application = Application.objects.get()
    assert application.program == interest_form.program
    assert application.form == interest_form
    assert application.organization_name == "Frigo Solidaire de Lévis (fictif)"
    assert application.contact_name == "Jeanne Tremblay"
    assert application.email == "jeanne@frigo-levis.example"
    assert application.region.code == "QC-12"
    assert application.region.kind == "region"
    assert application.answers["concept"] == "Un frigo partagé\nouvert sept jours sur sept."
    assert application.answers["barriers"].startswith("Transport réfrigéré")
    assert application.language == "fr"
    thanks = client.get(thanks_address(response))
    assert "Merci" in thanks.content.decode()


def test_consent_is_stored_with_version_language_and_time(client, interest_form, answer):
    interest_form.consent_version = 3
    interest_form.save()
    before = timezone.now()
    client.post(url(interest_form, "en"), answer)
    application = Application.objects.get()
    assert application.consent_given is True
    assert application.consent_version == 3
    assert application.consent_language == "en"
    assert application.language == "en"
    assert before <= application.consent_at <= timezone.now()


def test_unticked_consent_is_refused_and_nothing_is_saved(client, interest_form):
    response = client.post(url(interest_form), valid_answer(consent=None))
    html = response.content.decode()
    assert response.status_code == 200
    assert Application.objects.count() == 0
    assert "cochez la case de consentement" in html
    assert 'aria-invalid="true"' in field_html(html, "consent")


def test_a_mistake_keeps_every_value_and_explains_in_french(client, interest_form):
    data = valid_answer(q_email="jeanne-chez-frigo", q_barriers="")
    response = client.post(url(interest_form), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert Application.objects.count() == 0
    # The two messages, next to their fields and in the summary at the top.
    assert "Saisissez une adresse de courriel valide." in html
    assert "Ce champ est obligatoire." in html
    summary = html[
        html.index('class="error-summary"') : html.index("</ul>", html.index("error-summary"))
    ]
    assert 'href="#id_q_email"' in summary
    assert 'href="#id_q_barriers"' in summary
    # Every other value comes back, long texts (with their line breaks) included.
    assert 'value="Frigo Solidaire de Lévis (fictif)"' in field_html(html, "q_organization")
    assert 'value="jeanne-chez-frigo"' in field_html(html, "q_email")
    assert "Un frigo partagé\nouvert sept jours sur sept.</textarea>" in html
    assert "Collecte chez trois épiceries" in html
    assert re.search(r'<option value="QC-12" selected>', html)
    assert "checked" in field_html(html, "consent")
    # Assistive technology hears which fields are wrong and why.
    email = field_html(html, "q_email")
    assert 'aria-invalid="true"' in email
    assert 'aria-describedby="id_q_email_error"' in email
    assert 'id="id_q_email_error"' in html
    assert "aria-invalid" not in field_html(html, "q_organization")


def test_a_mistake_in_english_is_explained_in_english(client, interest_form):
    response = client.post(url(interest_form, "en"), valid_answer(q_email="nope", q_concept=""))
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Enter a valid email address." in html
    assert "This field is required." in html
    assert "Saisissez une adresse" not in html
    assert 'value="nope"' in field_html(html, "q_email")
    assert "Collecte chez trois épiceries" in html
    # The corrected form is sent in English too.
    assert 'action="?lang=en"' in html


def test_choice_answers_are_kept_after_a_mistake(client, interest_form):
    from maillage.intake.services import add_question

    add_question(
        form=interest_form,
        kind="multiple",
        label_fr="Volets",
        key="tracks",
        required=True,
        choices=[
            {"value": "logistique", "fr": "Logistique", "en": "Logistics"},
            {"value": "synergies", "fr": "Synergies", "en": "Synergies"},
            {"value": "autre", "fr": "Autre", "en": "Other"},
        ],
    )
    add_question(
        form=interest_form,
        kind="yes_no",
        label_fr="Déjà mentoré ?",
        key="before",
        required=True,
    )
    data = valid_answer(q_email="")
    data["q_tracks"] = ["logistique", "autre"]
    data["q_before"] = "no"
    html = client.post(url(interest_form), data).content.decode()
    assert "Ce champ est obligatoire." in html
    assert is_checked(html, "q_tracks", "logistique")
    assert is_checked(html, "q_tracks", "autre")
    assert not is_checked(html, "q_tracks", "synergies")
    assert is_checked(html, "q_before", "no")
    assert not is_checked(html, "q_before", "yes")


def test_a_bot_filling_the_honeypot_is_thanked_and_ignored(client, interest_form):
    response = client.post(url(interest_form), valid_answer(site_web="http://spam.example"))
    assert thanked(response)
    assert Application.objects.count() == 0


def test_a_closed_form_says_so_politely(client, interest_form, answer):
    interest_form.is_open = False
    interest_form.save()
    response = client.get(url(interest_form))
    assert response.status_code == 410
    assert "ne reçoit plus de réponses" in response.content.decode()
    assert client.post(url(interest_form), answer).status_code == 410
    assert Application.objects.count() == 0


def test_a_form_past_its_closing_time_is_closed(client, interest_form):
    interest_form.closes_at = timezone.now() - timezone.timedelta(minutes=1)
    interest_form.save()
    assert client.get(url(interest_form)).status_code == 410


def test_unknown_token_is_404(client, db):
    assert client.get(reverse("intake:public_form", args=["pas-un-jeton"])).status_code == 404


def test_the_thanks_answering_the_post_sends_the_language_switch_to_itself(
    client, interest_form, answer
):
    # Answered at the form's address, the thanks page still offers English of *itself*: the
    # switch must not lead back to an empty form.
    response = client.post(url(interest_form), answer)
    thanks = reverse("intake:public_thanks", args=[interest_form.token])
    assert thanked(response)
    assert f'name="next" type="hidden" value="{thanks}"' in response.content.decode()
    # Read at its own address (a reload), the page needs no script to move the address bar.
    again = client.get(thanks_address(response))
    assert "Merci" in again.content.decode() and "data-url=" not in again.content.decode()
