from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from maillage.intake.models import Application, InterestForm, Question
from maillage.intake.services import submit_application

pytestmark = pytest.mark.django_db


def edit_url(form) -> str:
    return reverse("intake:form_edit", args=[form.program_id, form.pk])


def texts_of(form, **changes) -> dict:
    data = {
        name: getattr(form, name) or ""
        for name in (
            "audience",
            "title_fr",
            "title_en",
            "intro_fr",
            "intro_en",
            "purpose_fr",
            "purpose_en",
            "consent_fr",
            "consent_en",
        )
    }
    data["closes_at"] = ""
    data.update(changes)
    return data


def test_list_shows_the_absolute_public_link_and_the_number_of_answers(
    as_coordinator, program_a, interest_form
):
    submit_application(
        form=interest_form,
        answers={
            "organization": "X",
            "region": "QC-03",
            "contact_name": "x",
            "email": "x@x.example",
            "concept": "c",
            "operations": "o",
            "barriers": "b",
            "mentoring_help": "m",
            "revise_processes": "r",
        },
        consent=True,
        language="fr",
    )
    html = as_coordinator.get(reverse("intake:forms", args=[program_a.pk])).content.decode()
    public = settings.SITE_URL + reverse("intake:public_form", args=[interest_form.token])
    assert public.startswith("http")
    assert f'value="{public}"' in html
    assert '<td class="num">1' in html
    assert "Ouvert" in html


def test_the_public_link_field_has_no_inline_script(as_coordinator, program_a, interest_form):
    # A strict Content-Security-Policy blocks inline event handlers: none on a page.
    html = as_coordinator.get(reverse("intake:forms", args=[program_a.pk])).content.decode()
    assert "readonly" in html
    assert "onfocus=" not in html and "onclick=" not in html


def test_list_flags_possible_duplicates(as_coordinator, program_a, interest_form, client):
    from .conftest import valid_answer

    public = reverse("intake:public_form", args=[interest_form.token])
    client.post(public, valid_answer())
    client.post(
        public,
        valid_answer(
            q_organization="FRIGO SOLIDAIRE DE LEVIS (FICTIF) INC.", q_email="a@b.example"
        ),
    )
    html = as_coordinator.get(reverse("intake:forms", args=[program_a.pk])).content.decode()
    assert "1 doublon possible" in html


def test_toggle_closes_then_reopens_the_form(as_coordinator, program_a, interest_form):
    url = reverse("intake:form_toggle", args=[program_a.pk, interest_form.pk])
    as_coordinator.post(url)
    interest_form.refresh_from_db()
    assert interest_form.is_open is False
    as_coordinator.post(url)
    interest_form.refresh_from_db()
    assert interest_form.is_open is True


def test_create_from_the_pilot_template_starts_closed(as_coordinator, program_a):
    response = as_coordinator.post(
        reverse("intake:form_create", args=[program_a.pk]), {"audience": "mentor"}
    )
    new = program_a.forms.order_by("-pk").first()
    assert response.status_code == 302
    assert new.audience == InterestForm.Audience.MENTOR
    assert new.is_open is False
    assert new.questions.count() == program_a.forms.order_by("pk").first().questions.count()


def test_editing_a_title_keeps_the_consent_version(as_coordinator, interest_form):
    as_coordinator.post(edit_url(interest_form), texts_of(interest_form, title_fr="Nouveau titre"))
    interest_form.refresh_from_db()
    assert interest_form.title_fr == "Nouveau titre"
    assert interest_form.consent_version == 1


@pytest.mark.parametrize("field", ["purpose_fr", "purpose_en", "consent_fr", "consent_en"])
def test_editing_the_purpose_or_consent_bumps_the_consent_version(
    as_coordinator, interest_form, field
):
    response = as_coordinator.post(
        edit_url(interest_form), texts_of(interest_form, **{field: "Un texte nouveau."})
    )
    assert response.status_code == 302
    interest_form.refresh_from_db()
    assert getattr(interest_form, field) == "Un texte nouveau."
    assert interest_form.consent_version == 2


def test_a_missing_purpose_is_refused_and_the_other_texts_kept(as_coordinator, interest_form):
    response = as_coordinator.post(
        edit_url(interest_form), texts_of(interest_form, purpose_fr="", title_fr="Gardé")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Gardé"' in html
    assert "Ce champ est obligatoire." in html
    interest_form.refresh_from_db()
    assert interest_form.consent_version == 1


def test_preview_shows_the_form_in_both_languages_without_a_submit(
    as_coordinator, program_a, interest_form
):
    url = reverse("intake:form_preview", args=[program_a.pk, interest_form.pk])
    french = as_coordinator.get(url).content.decode()
    english = as_coordinator.get(url + "?lang=en").content.decode()
    assert "Nom de votre organisme" in french
    assert "Name of your organization" in english
    assert '<button type="button" disabled>' in french


def test_add_a_choice_question(as_coordinator, program_a, interest_form):
    url = reverse("intake:question_add", args=[program_a.pk, interest_form.pk])
    response = as_coordinator.post(
        url,
        {
            "kind": "choice",
            "label_fr": "Quel volet ?",
            "label_en": "Which track?",
            "help_fr": "",
            "help_en": "",
            "required": "on",
            "maps_to": "",
            "choices_text": "Logistique | Logistics\nSynergies | Synergies\n",
        },
    )
    assert response.status_code == 302
    question = interest_form.questions.order_by("-order").first()
    assert question.label_fr == "Quel volet ?"
    assert question.key == "quel_volet"
    assert question.required is True
    assert question.choices == [
        {"value": "logistique", "fr": "Logistique", "en": "Logistics"},
        {"value": "synergies", "fr": "Synergies", "en": "Synergies"},
    ]


def test_a_choice_question_without_choices_is_refused_keeping_the_label(
    as_coordinator, program_a, interest_form
):
    url = reverse("intake:question_add", args=[program_a.pk, interest_form.pk])
    count = interest_form.questions.count()
    response = as_coordinator.post(
        url, {"kind": "multiple", "label_fr": "Quels volets ?", "choices_text": "Un seul"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "au moins deux choix" in html
    assert 'value="Quels volets ?"' in html
    assert interest_form.questions.count() == count


def test_a_second_question_mapping_the_email_is_refused(as_coordinator, program_a, interest_form):
    url = reverse("intake:question_add", args=[program_a.pk, interest_form.pk])
    response = as_coordinator.post(
        url, {"kind": "email", "label_fr": "Autre courriel", "maps_to": "email"}
    )
    assert "remplit déjà" in response.content.decode()


def test_edit_a_question_keeps_its_key(as_coordinator, program_a, interest_form):
    question = interest_form.questions.get(key="comments")
    url = reverse("intake:question_edit", args=[program_a.pk, interest_form.pk, question.pk])
    as_coordinator.post(
        url, {"kind": "long_text", "label_fr": "Autre chose ?", "label_en": "Anything else?"}
    )
    question.refresh_from_db()
    assert question.label_fr == "Autre chose ?"
    assert question.label_en == "Anything else?"
    assert question.key == "comments"


def test_delete_a_question_keeps_answers_already_given(as_coordinator, program_a, interest_form):
    question = interest_form.questions.get(key="position")
    application = Application.objects.create(
        program=program_a, form=interest_form, answers={"position": "Direction"}
    )
    url = reverse("intake:question_delete", args=[program_a.pk, interest_form.pk, question.pk])
    as_coordinator.post(url)
    assert not Question.objects.filter(pk=question.pk).exists()
    application.refresh_from_db()
    assert application.answers == {"position": "Direction"}


def keys(form) -> list[str]:
    return list(form.questions.order_by("order", "id").values_list("key", flat=True))


def test_move_a_question_up_and_down(as_coordinator, program_a, interest_form):
    before = keys(interest_form)
    second = interest_form.questions.get(key=before[1])
    url = reverse("intake:question_move", args=[program_a.pk, interest_form.pk, second.pk])
    response = as_coordinator.post(url, {"direction": "up"})
    assert response.status_code == 302
    assert keys(interest_form)[:2] == [before[1], before[0]]
    as_coordinator.post(url, {"direction": "down"})
    assert keys(interest_form) == before


def test_moving_the_first_question_up_changes_nothing(as_coordinator, program_a, interest_form):
    before = keys(interest_form)
    first = interest_form.questions.get(key=before[0])
    url = reverse("intake:question_move", args=[program_a.pk, interest_form.pk, first.pk])
    as_coordinator.post(url, {"direction": "up"})
    assert keys(interest_form) == before


def test_htmx_move_returns_only_the_question_table(as_coordinator, program_a, interest_form):
    before = keys(interest_form)
    last = interest_form.questions.get(key=before[-1])
    url = reverse("intake:question_move", args=[program_a.pk, interest_form.pk, last.pk])
    response = as_coordinator.post(url, {"direction": "up"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div id="questions">')
    assert "<html" not in html
    assert keys(interest_form)[-1] == before[-2]
