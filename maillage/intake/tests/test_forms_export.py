"""The forms list and a form's questions as CSV or XLSX: the rows the coordinator sees."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from maillage.conftest import login
from maillage.core.tests.downloads import csv_rows, xlsx_rows
from maillage.intake.models import Question

from .conftest import valid_answer

pytestmark = pytest.mark.django_db


def forms_url(program, fmt: str) -> str:
    return reverse("intake:forms_export", args=[program.pk, fmt])


def questions_url(form, fmt: str) -> str:
    return reverse("intake:form_edit_export", args=[form.program_id, form.pk, fmt])


def test_forms_csv_has_the_link_answers_duplicates_and_state(
    as_coordinator, client, program_a, interest_form
):
    public = reverse("intake:public_form", args=[interest_form.token])
    client.post(public, valid_answer())
    client.post(public, valid_answer(q_email="autre@frigo-levis.example"))

    header, *rows = csv_rows(as_coordinator.get(forms_url(program_a, "csv")))

    assert header == [
        "Formulaire",
        "Public visé",
        "Version du consentement",
        "Lien public",
        "Réponses",
        "Doublons possibles",
        "État",
        "Ferme le",
    ]
    link = settings.SITE_URL + reverse("intake:public_form", args=[interest_form.token])
    assert rows == [
        [
            interest_form.title,
            interest_form.get_audience_display(),
            "1",
            link,
            "2",
            "1",
            "Ouvert",
            "",
        ]
    ]


def test_forms_xlsx_reads_back_with_numbers(as_coordinator, program_a, interest_form):
    header, row = xlsx_rows(as_coordinator.get(forms_url(program_a, "xlsx")))
    assert header[0] == "Formulaire"
    assert row[0] == interest_form.title
    assert row[4] == 0


def test_questions_csv_follows_the_form_order_with_both_languages(as_coordinator, interest_form):
    questions = list(interest_form.questions.all())

    header, *rows = csv_rows(as_coordinator.get(questions_url(interest_form, "csv")))

    assert header == [
        "#",
        "Question (français)",
        "Question (anglais)",
        "Choix",
        "Type",
        "Obligatoire",
        "Remplit",
    ]
    assert [row[1] for row in rows] == [q.label_fr for q in questions]
    first = questions[0]
    assert rows[0][:3] == ["1", first.label_fr, first.label_en]
    assert rows[0][4:] == [
        first.get_kind_display(),
        "Oui" if first.required else "Non",
        first.get_maps_to_display() if first.maps_to else "",
    ]


def test_a_formula_like_question_comes_out_as_text(as_coordinator, interest_form):
    Question.objects.create(
        form=interest_form,
        order=99,
        key="piege",
        kind=Question.Kind.CHOICE,
        label_fr="@SUM(A1:A9)",
        choices=[{"value": "a", "fr": '=HYPERLINK("http://x.example")', "en": "A"}],
    )
    *_, last = csv_rows(as_coordinator.get(questions_url(interest_form, "csv")))
    assert last[1] == "'@SUM(A1:A9)"
    assert last[3] == '\'=HYPERLINK("http://x.example")'

    *_, last = xlsx_rows(as_coordinator.get(questions_url(interest_form, "xlsx")))
    assert last[1] == "'@SUM(A1:A9)"


def test_unknown_format_is_404(as_coordinator, program_a, interest_form):
    assert as_coordinator.get(forms_url(program_a, "pdf")).status_code == 404
    assert as_coordinator.get(questions_url(interest_form, "ods")).status_code == 404


def test_outsider_and_participants_get_404(client, program_a, interest_form, outsider, mentor):
    for person in (outsider, mentor):
        login(client, person)
        assert client.get(forms_url(program_a, "csv")).status_code == 404
        assert client.get(questions_url(interest_form, "xlsx")).status_code == 404
