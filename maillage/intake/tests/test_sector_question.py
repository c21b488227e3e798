"""The « Secteur d’activité » kind: a list of the reference sectors that fills the application's
sector, which matching's same-sector rule reads."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.core.models import Sector
from maillage.intake.errors import IntakeError
from maillage.intake.models import Application, Question
from maillage.intake.selectors import display_value
from maillage.intake.services import add_question, submit_application

from .conftest import thanked, valid_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def sector_question(interest_form) -> Question:
    return add_question(
        form=interest_form, kind=Question.Kind.SECTOR, label_fr="Secteur", label_en="Sector"
    )


def public_url(form, lang: str | None = None) -> str:
    path = reverse("intake:public_form", args=[form.token])
    return f"{path}?lang={lang}" if lang else path


def test_a_sector_question_fills_the_sector_unless_another_question_does(interest_form):
    first = add_question(form=interest_form, kind=Question.Kind.SECTOR, label_fr="Secteur")
    second = add_question(form=interest_form, kind=Question.Kind.SECTOR, label_fr="Autre secteur")
    assert first.maps_to == Question.Maps.SECTOR
    assert second.maps_to == ""


def test_the_public_form_lists_the_reference_sectors_in_the_visitor_language(
    client, interest_form, sector_question
):
    html = client.get(public_url(interest_form)).content.decode()
    assert '<select name="q_secteur"' in html
    assert '<option value="communautaire">Communautaire</option>' in html
    assert '<option value="econ_sociale">Économie sociale</option>' in html
    english = client.get(public_url(interest_form, "en")).content.decode()
    assert '<option value="communautaire">Community</option>' in english


def test_a_chosen_sector_lands_on_the_application(client, interest_form, sector_question):
    response = client.post(public_url(interest_form), valid_answer(q_secteur="econ_sociale"))
    assert thanked(response)
    application = Application.objects.get()
    assert application.sector == Sector.objects.get(code="econ_sociale")
    assert application.answers["secteur"] == "econ_sociale"
    assert display_value(sector_question, "econ_sociale") == "Économie sociale"


def test_an_unknown_sector_is_refused_and_the_other_answers_kept(
    client, interest_form, sector_question
):
    response = client.post(
        public_url(interest_form), valid_answer(q_secteur="petrochimie-inventee")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choisissez un secteur d’activité dans la liste." in html
    assert 'value="Frigo Solidaire de Lévis (fictif)"' in html
    assert "Collecte chez trois épiceries" in html
    assert not Application.objects.exists()


def test_the_service_refuses_an_unknown_sector_code(interest_form, sector_question):
    answers = {key[2:]: value for key, value in valid_answer().items() if key.startswith("q_")}
    with pytest.raises(IntakeError) as error:
        submit_application(
            form=interest_form,
            answers={**answers, "secteur": "inconnu"},
            consent=True,
            language="fr",
        )
    assert error.value.field == "secteur"
    assert not Application.objects.exists()


def test_the_builder_offers_the_sector_kind_and_maps_it_to_the_sector(
    as_coordinator, program_a, interest_form
):
    url = reverse("intake:question_add", args=[program_a.pk, interest_form.pk])
    assert '<option value="sector">Secteur d’activité</option>' in (
        as_coordinator.get(url).content.decode()
    )
    response = as_coordinator.post(
        url, {"kind": "sector", "label_fr": "Votre secteur d’activité", "maps_to": ""}
    )
    assert response.status_code == 302
    question = interest_form.questions.order_by("-order").first()
    assert question.kind == Question.Kind.SECTOR
    assert question.maps_to == Question.Maps.SECTOR
